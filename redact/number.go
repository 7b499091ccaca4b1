package redact

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"policybot/zh"
)

// Building blocks of the span pattern. Digits may be ASCII, full-width or
// Chinese (一三八, 幺, 两, 〇); groups may be separated by one or two spaces
// (ASCII, no-break or ideographic), a dash, slash, underscore or comma with
// optional spaces around it, a dot, or a closing parenthesis as in
// "(023)6321 1234" and "(+86) 138…".
const (
	space     = `[ \t\x{00A0}\x{3000}]`
	dash      = `[-－‐‑‒–—―/／_＿,，]`
	separator = `(?:` + space + `{1,2}|` + space + `?` + dash + space + `?|[.．]|[)）]` + space + `?)`
	prefix    = `(?:[(（][+＋]?|[+＋])?`
	checkX    = `[XxＸｘ]`
)

// digitClass is the character class of every digit, Chinese ones included.
func digitClass() string {
	return `[0-9０-９` + string(zh.DigitRunes()) + `]`
}

// spanPattern matches a maximal run of digit groups, with an optional
// leading "+" or "(" and an optional trailing X (the check character of an
// ID number).
func spanPattern() string {
	d := digitClass()
	return prefix + d + `+(?:` + separator + d + `+)*` + checkX + `?`
}

// maxDigits bounds the digits one piece of personal data can have (a 19-digit
// bank card), so candidate matches inside a long span are few.
const maxDigits = 19

// numberPatterns are the expressions that find numeric personal data.
type numberPatterns struct {
	span *regexp.Regexp // a run of digit groups that may hold personal data
}

func newNumberPatterns() *numberPatterns {
	return &numberPatterns{span: regexp.MustCompile(spanPattern())}
}

// redactNumbers replaces each numeric piece of personal data in s.
func (r *Redactor) redactNumbers(s string) string {
	spans := r.nums.span.FindAllStringIndex(s, -1)
	if spans == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		for _, rep := range redactSpan(s, sp[0], sp[1], &r.ph) {
			b.WriteString(s[last:rep.start])
			b.WriteString(rep.with)
			last = rep.end
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

// group is one run of digits of one script in a span: its byte range, its
// digits as ASCII (the last group of a span possibly ending in 'X', whose
// byte length is x), and whether a dot separates it from the group before.
type group struct {
	start, end int
	digits     string
	afterDot   bool
	x          int
	script     script
	text       string // the digits as written
}

// withoutX is the group without its trailing X: 13812345678x is a phone
// number and a letter.
func (g group) withoutX() group {
	g.end -= g.x
	g.digits = g.digits[:len(g.digits)-1]
	g.x = 0
	return g
}

// redactSpan finds personal data among the digit groups of s[start:end].
// From the left, it takes the longest run of whole groups that classifies as
// personal data, so "电话 138 1234 5678 2000元" loses the phone number but
// keeps the amount.
func redactSpan(s string, start, end int, ph *Placeholders) []replacement {
	groups := splitGroups(s, start, end)
	var out []replacement
	for i := 0; i < len(groups); {
		j, k, last := longestMatch(groups[i:])
		if k == kindNone {
			i++
			continue
		}
		from := groups[i].start
		if i == 0 {
			from = prefixStart(s, start, groups, j)
		}
		out = append(out, replacement{from, last.end, k.placeholder(ph)})
		i += j
	}
	return out
}

// longestMatch returns how many leading groups of gs form the longest run
// that is personal data, its kind, and its last group (without the X when
// only the digits before it are personal data).
func longestMatch(gs []group) (int, kind, group) {
	n, digits := 0, 0
	for n < len(gs) && digits+len(gs[n].digits) <= maxDigits+1 {
		digits += len(gs[n].digits)
		n++
	}
	for j := n; j > 0; j-- {
		if !consistentDots(gs[:j]) {
			continue
		}
		if k := classify(gs[:j]); k != kindNone {
			return j, k, gs[j-1]
		}
		last := gs[j-1]
		if last.x > 0 {
			run := append(gs[:j-1:j-1], last.withoutX())
			if k := classify(run); k != kindNone {
				return j, k, run[j-1]
			}
		}
		if last.script == chinese {
			before := 0
			for _, g := range gs[:j-1] {
				before += len(g.digits)
			}
			for _, n := range []int{11, 18, 15} {
				if need := n - before; need > 0 && need < len(last.digits) {
					run := append(gs[:j-1:j-1], last.prefix(need))
					if k := classify(run); k != kindNone {
						return j, k, run[j-1]
					}
				}
			}
		}
	}
	return 0, kindNone, group{}
}

// prefix is the group cut to its first n digits. Chinese numerals run on
// into words (一三八一二三四五六七八一定回复: 一定), so a run too long to be
// personal data may start with some.
func (g group) prefix(n int) group {
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(g.text[i:])
		i += size
	}
	g.end, g.text, g.digits, g.x = g.start+i, g.text[:i], g.digits[:n], 0
	return g
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

// script tells the digits apart whose runs are separate groups even when
// they touch: a Chinese numeral next to an ASCII number (13812345678一定)
// is not one of its digits.
type script int

const (
	notDigit script = iota
	arabic          // ASCII or full-width
	chinese
)

// digitOf returns the value of a digit of any script.
func digitOf(r rune) (byte, script) {
	switch {
	case r >= '0' && r <= '9':
		return byte(r), arabic
	case r >= '０' && r <= '９':
		return byte(r - '０' + '0'), arabic
	}
	if v, ok := zh.DigitOf(r); ok {
		return byte('0' + v), chinese
	}
	return 0, notDigit
}

// splitGroups returns the digit groups of the span s[start:end], digits
// folded to ASCII; a trailing X joins the last group.
func splitGroups(s string, start, end int) []group {
	var groups []group
	cur := group{start: -1}
	var digits []byte // of cur, appended to without copying the string each time
	closeGroup := func() {
		if cur.start >= 0 {
			cur.digits = string(digits)
			groups = append(groups, cur)
		}
		cur, digits = group{start: -1}, digits[:0]
	}
	prev := notDigit
	sep := ""
	for i, r := range s[start:end] {
		at := start + i
		d, sc := digitOf(r)
		if sc == notDigit || sc != prev {
			closeGroup()
			if sc == notDigit {
				sep += string(r)
				prev = notDigit
				continue
			}
		}
		if cur.start < 0 {
			cur = group{start: at, afterDot: len(groups) > 0 && (strings.HasPrefix(sep, ".") || strings.HasPrefix(sep, "．"))}
			sep = ""
		}
		digits = append(digits, d)
		cur.end = at + utf8.RuneLen(r)
		cur.script = sc
		prev = sc
	}
	closeGroup()
	for i := range groups {
		groups[i].text = s[groups[i].start:groups[i].end]
	}
	if lg := &groups[len(groups)-1]; lg.end < end {
		lg.x = end - lg.end
		lg.end = end
		lg.digits += "X"
	}
	return groups
}
