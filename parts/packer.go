package parts

import "strings"

// piece is a line or part of one, written.
type piece struct {
	text    string
	size    int
	newLine bool // starts a line
	goesOn  bool // goes on with what is before it: breaking before it is a last resort
}

// packer fills parts with pieces.
type packer struct {
	limit   int
	newline int // the size of the newline between lines
	parts   []string
	cur     []piece
	n       int // the size of cur, newlines included
}

func (p *packer) add(x piece) {
	if len(p.cur) > 0 && p.n+p.sep(x, len(p.cur))+x.size > p.limit {
		p.flush(p.carry(x))
		if len(p.cur) > 0 && p.n+p.sep(x, len(p.cur))+x.size > p.limit {
			p.flush(len(p.cur))
		}
	}
	p.n += p.sep(x, len(p.cur)) + x.size
	p.cur = append(p.cur, x)
}

// carry is how many pieces of the full part stay when x does not fit:
// when x goes on with the item the part ends in, the item is carried over
// to the next part whole, if what stays is at least half a part.
func (p *packer) carry(x piece) int {
	if !x.goesOn {
		return len(p.cur)
	}
	for i := len(p.cur) - 1; i > 0; i-- {
		if p.cur[i].newLine && !p.cur[i].goesOn {
			if p.size(p.cur[:i]) >= p.limit/2 {
				return i
			}
			break
		}
	}
	return len(p.cur)
}

// sep is the size of the newline before x at place i of a part.
func (p *packer) sep(x piece, i int) int {
	if x.newLine && i > 0 {
		return p.newline
	}
	return 0
}

func (p *packer) size(xs []piece) int {
	n := 0
	for i, x := range xs {
		n += p.sep(x, i) + x.size
	}
	return n
}

// flush makes the first k pieces a part and keeps the rest.
func (p *packer) flush(k int) {
	var b strings.Builder
	for i, x := range p.cur[:k] {
		if x.newLine && i > 0 {
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
