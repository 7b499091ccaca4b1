package telegram

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Telegram's limit on a message's text is 4096 characters (UTF-16 code
// units) after its markup is parsed. Parts are measured as HTML, longer
// than the text they show, so they are within it with room to spare; the
// last part keeps editRoom more for the mark a button press adds.
const (
	messageLimit = 4096
	editRoom     = 128
	partLimit    = messageLimit - editRoom
)

// split packs lines into messages of at most limit UTF-16 units of HTML.
// It breaks between lines, and rather before a line that starts something
// (a heading, a numbered item) than before an indented one that goes on
// with it; a line longer than a message between its sentences; and only a
// sentence longer than a message within it. Blank lines at the edges of a
// message are dropped.
func split(doc []line, limit int) []string {
	var p packer
	p.limit = limit
	for _, l := range doc {
		h := l.html()
		if units(h) <= limit {
			p.add(piece{h, true, startsIndented(l)})
			continue
		}
		first := true
		for _, s := range sentences(l) {
			hs := []string{s.html()}
			if units(hs[0]) > limit {
				hs = cut(s, limit)
			}
			for _, h := range hs {
				p.add(piece{h, first, !first || startsIndented(l)})
				first = false
			}
		}
	}
	p.flush(len(p.cur))
	return p.msgs
}

// piece is a line or part of one, in HTML.
type piece struct {
	html    string
	newLine bool // starts a line
	goesOn  bool // goes on with what is before it: breaking before it is a last resort
}

// packer fills messages with pieces.
type packer struct {
	limit int
	msgs  []string
	cur   []piece
	n     int // units in cur, newlines included
}

func (p *packer) add(x piece) {
	size := units(x.html) + p.sep(x, len(p.cur))
	if len(p.cur) > 0 && p.n+size > p.limit {
		// Carry the item the message ends in over to the next one, if
		// what stays is at least half a message.
		k := len(p.cur)
		if x.goesOn {
			for i := len(p.cur) - 1; i > 0; i-- {
				if p.cur[i].newLine && !p.cur[i].goesOn {
					if p.size(p.cur[:i]) >= p.limit/2 {
						k = i
					}
					break
				}
			}
		}
		p.flush(k)
		if len(p.cur) > 0 && p.n+units(x.html)+p.sep(x, len(p.cur)) > p.limit {
			p.flush(len(p.cur))
		}
		size = units(x.html) + p.sep(x, len(p.cur))
	}
	p.cur = append(p.cur, x)
	p.n += size
}

// sep is the newline before x at place i of a message.
func (p *packer) sep(x piece, i int) int {
	if x.newLine && i > 0 {
		return 1
	}
	return 0
}

func (p *packer) size(xs []piece) int {
	n := 0
	for i, x := range xs {
		n += units(x.html) + p.sep(x, i)
	}
	return n
}

// flush sends the first k pieces as a message and keeps the rest.
func (p *packer) flush(k int) {
	var b strings.Builder
	for i, x := range p.cur[:k] {
		if p.sep(x, i) == 1 {
			b.WriteByte('\n')
		}
		b.WriteString(x.html)
	}
	if s := strings.Trim(b.String(), "\n"); s != "" {
		p.msgs = append(p.msgs, s)
	}
	p.cur = append([]piece(nil), p.cur[k:]...)
	p.n = p.size(p.cur)
}

// startsIndented reports whether a line begins with space: it goes on
// with the item above.
func startsIndented(l line) bool {
	return len(l) > 0 && strings.HasPrefix(l[0].text, " ")
}

// sentenceEnds are the marks a sentence ends with.
const sentenceEnds = "。！？；!?;"

// sentences cuts a line after each sentence's end mark (a full stop only
// when a space follows, so 2.5 stays whole).
func sentences(l line) []line {
	var out []line
	var cur line
	for _, r := range l {
		text, from := r.text, 0
		for i, ch := range text {
			if !strings.ContainsRune(sentenceEnds, ch) && (ch != '.' || !strings.HasPrefix(text[i+1:], " ")) {
				continue
			}
			to := i + utf8.RuneLen(ch)
			out = append(out, append(cur, run{text[from:to], r.style}))
			cur, from = nil, to
		}
		if from < len(text) {
			cur = append(cur, run{text[from:], r.style})
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// cut splits one overlong sentence into HTML pieces of at most limit
// units, between characters, each piece's markup whole.
func cut(l line, limit int) []string {
	var out []string
	var piece line
	n := 0
	for _, r := range l {
		tags := units(run{"", r.style}.html())
		for _, ch := range r.text {
			size := units(html.EscapeString(string(ch)))
			last := len(piece) - 1
			cont := last >= 0 && piece[last].style == r.style
			extra := size
			if !cont {
				extra += tags
			}
			if n > 0 && n+extra > limit {
				out = append(out, piece.html())
				piece, n, cont = nil, 0, false
				extra = size + tags
			}
			if cont {
				piece[last].text += string(ch)
			} else {
				piece = append(piece, run{string(ch), r.style})
			}
			n += extra
		}
	}
	if len(piece) > 0 {
		out = append(out, piece.html())
	}
	return out
}

// units is the length of s in UTF-16 code units, as Telegram counts.
func units(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
