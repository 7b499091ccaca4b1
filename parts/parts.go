// Package parts packs the lines of a reply into the parts a channel sends,
// each within the channel's limit on one message.
//
// Where a reply breaks is decided here, the same for every channel: between
// lines, rather before a line that starts an item than one that goes on with
// it; a line too long for a part between its sentences; only a sentence too
// long for a part within it, between characters. Channels tell Pack only
// what differs: what they count against their limit (Telegram UTF-16 units
// of HTML, WeChat bytes of UTF-8) and how they write a styled run (HTML tags,
// or nothing).
package parts

import "strings"

// Format is how a channel writes text and counts it against its limit. The
// zero Format writes text as it is and counts bytes of UTF-8.
type Format struct {
	// Measure is the size of written text as the channel counts it; nil
	// counts bytes.
	Measure func(string) int
	// Escape writes plain text in the channel's markup, so that no text is
	// read as markup; nil writes it as it is. It must escape character by
	// character (as html.EscapeString does): a run cut between characters
	// is escaped piece by piece.
	Escape func(string) string
}

// Run is a stretch of a line's text shown one way: Open and Close are the
// channel's marks around it (<b> and </b>), empty for plain text.
type Run struct {
	Text        string
	Open, Close string
}

// Line is one line of a reply.
type Line struct {
	Runs []Run
	// GoesOn marks a line that goes on with the item above it though it
	// is not indented (an option under its question): a part had rather
	// not begin with it. An indented line (an item's detail, as the engine
	// writes it) goes on in any case.
	GoesOn bool
}

// Plain is a line of plain text.
func Plain(text string) Line { return Line{Runs: []Run{{Text: text}}} }

// goesOn reports whether breaking before l is a last resort.
func (l Line) goesOn() bool {
	for _, r := range l.Runs {
		if r.Text != "" {
			return l.GoesOn || strings.HasPrefix(r.Text, " ")
		}
	}
	return l.GoesOn
}

// Pack packs lines into parts of at most limit, as f measures them
// written. It breaks between lines, and rather before a line that starts
// something (a heading, a numbered item, a question) than before one that
// goes on with it: the item a part would end in is carried over to the
// next when what stays is at least half a part. A line longer than a part
// breaks between its sentences, and only a sentence longer than a part
// within it, between characters, each piece with its marks whole. Blank
// lines at the edges of a part are dropped, and a part is never empty.
func (f Format) Pack(lines []Line, limit int) []string {
	p := packer{limit: limit, newline: f.measure("\n")}
	for _, l := range lines {
		goesOn := l.goesOn()
		if w := f.write(l.Runs); f.measure(w) <= limit {
			p.add(piece{w, f.measure(w), true, goesOn})
			continue
		}
		first := true
		for _, s := range sentences(l.Runs) {
			ws := []string{f.write(s)}
			if f.measure(ws[0]) > limit {
				ws = f.cut(s, limit)
			}
			for _, w := range ws {
				p.add(piece{w, f.measure(w), first, !first || goesOn})
				first = false
			}
		}
	}
	p.flush(len(p.cur))
	return p.parts
}

func (f Format) measure(s string) int {
	if f.Measure == nil {
		return len(s)
	}
	return f.Measure(s)
}

func (f Format) escape(s string) string {
	if f.Escape == nil {
		return s
	}
	return f.Escape(s)
}

// write is runs as the channel shows them, each escaped between its marks;
// a run with no text leaves no marks either.
func (f Format) write(runs []Run) string {
	var b strings.Builder
	for _, r := range runs {
		if r.Text != "" {
			b.WriteString(r.Open)
			b.WriteString(f.escape(r.Text))
			b.WriteString(r.Close)
		}
	}
	return b.String()
}
