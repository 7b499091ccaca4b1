package reading

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a stretch of a message, in runes: [start, end).
type span struct{ start, end int }

func (s span) contains(o span) bool { return s.start <= o.start && o.end <= s.end && s != o }
func (s span) overlaps(o span) bool { return s.start < o.end && o.start < s.end }

// text is a message being read: its string, and where each rune starts, so
// that matches found with strings.Index (fast on bytes) are placed in runes,
// the unit of a cue's reach.
type text struct {
	s          string
	runes      []rune
	byteToRune []int // byte offset → rune index, for every byte offset and len(s)
}

func newText(s string) *text {
	t := &text{s: s, runes: []rune(s), byteToRune: make([]int, len(s)+1)}
	r := 0
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		for k := 0; k < size; k++ {
			t.byteToRune[i+k] = r
		}
		i += size
		r++
	}
	t.byteToRune[len(s)] = r
	return t
}

// slice is the text of a span.
func (t *text) slice(s span) string { return string(t.runes[s.start:s.end]) }

// find lists every occurrence of cue, as spans, left to right. A cue in
// Latin letters matches whole words only: "no" is not in "not", "i" not in
// "hi".
func (t *text) find(cue string) []span {
	if cue == "" {
		return nil
	}
	var out []span
	latin := isLatinWord(cue)
	for from := 0; from < len(t.s); {
		i := strings.Index(t.s[from:], cue)
		if i < 0 {
			break
		}
		b := from + i
		e := b + len(cue)
		from = b + 1
		if latin && (!boundaryBefore(t.s, b) || !boundaryAfter(t.s, e)) {
			continue
		}
		out = append(out, span{t.byteToRune[b], t.byteToRune[e]})
	}
	return out
}

// findAll lists the occurrences of any of cues (ordered longest first), not
// overlapping: where two overlap, the one found first in the list (the
// longer) stands. The result is ordered by position.
func (t *text) findAll(cues []string) []span {
	var out []span
	for _, c := range cues {
		for _, s := range t.find(c) {
			if !overlapsAny(out, s) {
				out = append(out, s)
			}
		}
	}
	sortSpans(out)
	return out
}

func overlapsAny(list []span, s span) bool {
	for _, o := range list {
		if o.overlaps(s) {
			return true
		}
	}
	return false
}

func sortSpans(list []span) {
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].start < list[j-1].start; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
}

// isLatinWord reports whether a cue starts and ends with an ASCII letter or
// digit, so that it must stand as a word of its own.
func isLatinWord(s string) bool {
	first, last := s[0], s[len(s)-1]
	return isAlnum(first) && isAlnum(last)
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\''))
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !(r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\''))
}

// containsCue reports whether s contains cue, as a whole word when cue is in
// Latin letters.
func containsCue(s, cue string) bool {
	if !isLatinWord(cue) {
		return strings.Contains(s, cue)
	}
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], cue)
		if i < 0 {
			return false
		}
		b := from + i
		if boundaryBefore(s, b) && boundaryAfter(s, b+len(cue)) {
			return true
		}
		from = b + 1
	}
	return false
}

// distance is how far apart two positions are, for a cue's reach: each Han
// character counts one, each Latin word two, spaces and digits nothing
// (numbers are short in speech: 招了100个).
func (t *text) distance(from, to int) int {
	n := 0
	inWord := false
	for i := from; i < to && i < len(t.runes); i++ {
		r := t.runes[i]
		switch {
		case r < 128 && unicode.IsLetter(r):
			if !inWord {
				n += 2
			}
			inWord = true
			continue
		case unicode.IsSpace(r) || r >= '0' && r <= '9':
		default:
			n++
		}
		inWord = false
	}
	return n
}

// trimMarks trims the spaces, punctuation and symbols (emoji among them)
// around a reply: 是的！👍 is 是的.
func trimMarks(s string) string { return strings.TrimFunc(s, isMark) }

// isMark reports whether r is a space, punctuation or a symbol.
func isMark(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) }
