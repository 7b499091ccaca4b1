package redact

import (
	"strings"
	"unicode/utf8"
)

// Building blocks of spanPattern. Digits may be ASCII or full-width; groups
// may be separated by one or two spaces (ASCII, no-break or ideographic), a
// dash with optional spaces around it, a dot, or a closing parenthesis as in
// "(023)6321 1234" and "(+86) 138…".
const (
	digit     = `[0-9０-９]`
	space     = `[ \t\x{00A0}\x{3000}]`
	dash      = `[-－‐‑‒–—―]`
	separator = `(?:` + space + `{1,2}|` + space + `?` + dash + space + `?|[.．]|[)）]` + space + `?)`
	prefix    = `(?:[(（][+＋]?|[+＋])?`
	checkX    = `[XxＸｘ]`

	// spanPattern matches a maximal run of digit groups, with an optional
	// leading "+" or "(" and an optional trailing X (the check character of
	// an ID number).
	spanPattern = prefix + digit + `+(?:` + separator + digit + `+)*` + checkX + `?`
)

// maxDigits bounds the digits one piece of personal data can have (a 19-digit
// bank card), so candidate matches inside a long span are few.
const maxDigits = 19

// redactNumbers replaces each numeric piece of personal data in s.
func redactNumbers(s string, p *patterns) string {
	spans := p.span.FindAllStringIndex(s, -1)
	if spans == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		for _, r := range redactSpan(s, sp[0], sp[1], p) {
			b.WriteString(s[last:r.start])
			b.WriteString(r.with)
			last = r.end
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// replacement is a byte range of the input and its placeholder.
type replacement struct {
	start, end int
	with       string
}

// group is one run of digits in a span: its byte range, its digits as
// ASCII (the last group of a span possibly ending in 'X'), and whether a
// dot separates it from the group before.
type group struct {
	start, end int
	digits     string
	afterDot   bool
}

// redactSpan finds personal data among the digit groups of s[start:end].
// From the left, it takes the longest run of whole groups that classifies as
// personal data, so "电话 138 1234 5678 2000元" loses the phone number but
// keeps the amount.
func redactSpan(s string, start, end int, p *patterns) []replacement {
	groups := splitGroups(s, start, end, p)
	var out []replacement
	for i := 0; i < len(groups); {
		j, k := longestMatch(groups[i:])
		if k == kindNone {
			i++
			continue
		}
		from := groups[i].start
		if i == 0 {
			from = prefixStart(s, start, groups, j)
		}
		out = append(out, replacement{from, groups[i+j-1].end, k.placeholder()})
		i += j
	}
	return out
}

// longestMatch returns how many leading groups of gs form the longest run
// that is personal data, and its kind.
func longestMatch(gs []group) (int, kind) {
	n, digits := 0, 0
	for n < len(gs) && digits+len(gs[n].digits) <= maxDigits {
		digits += len(gs[n].digits)
		n++
	}
	for j := n; j > 0; j-- {
		if !consistentDots(gs[:j]) {
			continue
		}
		if k := classify(gs[:j]); k != kindNone {
			return j, k
		}
	}
	return 0, kindNone
}

// consistentDots reports whether the groups are either all or none
// separated by dots. People write "138.1234.5678", but a dot next to a
// space is a decimal point, as in a row of rates "1.5 2.5 3.5 4.5 5.5 6",
// whose digits would otherwise spell a phone number.
func consistentDots(gs []group) bool {
	for _, g := range gs[1:] {
		if g.afterDot != gs[1].afterDot {
			return false
		}
	}
	return true
}

// prefixStart decides where a match that begins with a span's first group
// starts: a "+" before it always belongs to the number; an opening
// parenthesis only if it closes after the first group inside the match, as
// in "(023)6321 1234", so "（13812345678）" keeps both of its parentheses.
func prefixStart(s string, start int, groups []group, matched int) int {
	pre := s[start:groups[0].start]
	if pre == "" || pre[0] == '+' || strings.HasPrefix(pre, "＋") {
		return start
	}
	if matched > 1 {
		sep := s[groups[0].end:groups[1].start]
		if strings.HasPrefix(sep, ")") || strings.HasPrefix(sep, "）") {
			return start
		}
	}
	_, size := utf8.DecodeRuneInString(pre)
	return start + size
}

// splitGroups returns the digit groups of the span s[start:end], digits
// folded to ASCII; a trailing X joins the last group.
func splitGroups(s string, start, end int, p *patterns) []group {
	locs := p.group.FindAllStringIndex(s[start:end], -1)
	groups := make([]group, len(locs))
	for i, l := range locs {
		groups[i] = group{start: start + l[0], end: start + l[1], digits: asciiDigits(s[start+l[0] : start+l[1]])}
		if i > 0 {
			sep := s[groups[i-1].end:groups[i].start]
			groups[i].afterDot = strings.HasPrefix(sep, ".") || strings.HasPrefix(sep, "．")
		}
	}
	if lg := &groups[len(groups)-1]; lg.end < end {
		lg.end = end
		lg.digits += "X"
	}
	return groups
}

// asciiDigits folds full-width digits to ASCII.
func asciiDigits(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r >= '０' && r <= '９' {
			r = r - '０' + '0'
		}
		b = append(b, byte(r))
	}
	return string(b)
}
