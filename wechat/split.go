package wechat

import (
	"strings"
	"unicode/utf8"
)

// line is one line of a reply. goesOn marks a line that continues the
// item above it (an indented detail of a result, an option under its
// question): a part had rather not begin with it.
type line struct {
	text   string
	goesOn bool
}

// split packs lines into parts of at most limit bytes of UTF-8. It breaks
// between lines, and rather before a line that starts something (a
// heading, a numbered item, a question) than before one that goes on with
// it; a line longer than a part between its sentences; and only a sentence
// longer than a part within it, between characters. Blank lines at the
// edges of a part are dropped.
func split(lines []line, limit int) []string {
	p := packer{limit: limit}
	for _, l := range lines {
		if len(l.text) <= limit {
			p.add(piece{l.text, true, l.goesOn})
			continue
		}
		first := true
		for _, s := range sentences(l.text) {
			for _, c := range cut(s, limit) {
				p.add(piece{c, first, !first || l.goesOn})
				first = false
			}
		}
	}
	p.flush(len(p.cur))
	return p.parts
}

// piece is a line or part of one.
type piece struct {
	text    string
	newLine bool // starts a line
	goesOn  bool // goes on with what is before it: breaking before it is a last resort
}

// packer fills parts with pieces.
type packer struct {
	limit int
	parts []string
	cur   []piece
	n     int // bytes in cur, newlines included
}

func (p *packer) add(x piece) {
	if len(p.cur) > 0 && p.n+p.sep(x, len(p.cur))+len(x.text) > p.limit {
		// Carry the item the part ends in over to the next one, if what
		// stays is at least half a part.
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
		if len(p.cur) > 0 && p.n+p.sep(x, len(p.cur))+len(x.text) > p.limit {
			p.flush(len(p.cur))
		}
	}
	p.n += p.sep(x, len(p.cur)) + len(x.text)
	p.cur = append(p.cur, x)
}

// sep is the newline before x at place i of a part.
func (p *packer) sep(x piece, i int) int {
	if x.newLine && i > 0 {
		return 1
	}
	return 0
}

func (p *packer) size(xs []piece) int {
	n := 0
	for i, x := range xs {
		n += p.sep(x, i) + len(x.text)
	}
	return n
}

// flush makes the first k pieces a part and keeps the rest.
func (p *packer) flush(k int) {
	var b strings.Builder
	for i, x := range p.cur[:k] {
		if p.sep(x, i) == 1 {
			b.WriteByte('\n')
		}
		b.WriteString(x.text)
	}
	if s := strings.Trim(b.String(), "\n"); s != "" {
		p.parts = append(p.parts, s)
	}
	p.cur = append([]piece(nil), p.cur[k:]...)
	p.n = p.size(p.cur)
}

// sentenceEnds are the marks a sentence ends with.
const sentenceEnds = "。！？；!?;"

// sentences cuts a line after each sentence's end mark (a full stop only
// when a space follows, so 2.5 stays whole).
func sentences(text string) []string {
	var out []string
	from := 0
	for i, ch := range text {
		if !strings.ContainsRune(sentenceEnds, ch) && (ch != '.' || !strings.HasPrefix(text[i+1:], " ")) {
			continue
		}
		to := i + utf8.RuneLen(ch)
		out = append(out, text[from:to])
		from = to
	}
	if from < len(text) {
		out = append(out, text[from:])
	}
	return out
}

// cut splits a sentence into pieces of at most limit bytes, between
// characters: the last resort for a sentence longer than a part.
func cut(s string, limit int) []string {
	var out []string
	for len(s) > limit {
		i := limit
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		if i == 0 { // a limit shorter than one character: a character alone
			_, i = utf8.DecodeRuneInString(s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return append(out, s)
}
