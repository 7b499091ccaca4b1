package redact

import (
	"regexp"
	"slices"
	"strings"
)

// Building blocks of the e-mail patterns. A local part is ASCII or
// full-width (zhang.san, ｚｈａｎｇ), or Chinese characters (张三); a domain
// label is letters and digits of the Latin script or Chinese characters,
// and the top-level domain two letters or more of either. Dots are ASCII or
// full-width: 。 ends a sentence far more often than it dots a domain.
const (
	localLatin = `[\p{Latin}\p{Nd}_._%+\-＿．－＋]+`
	localHan   = `\p{Han}+`
	label      = `(?:[\p{Latin}\p{Nd}\-－]+|\p{Han}+)`
	dot        = `[.．]`
	topLevel   = `(?:\p{Latin}{2,}|\p{Han}{2,})`
	// emailPattern matches an address with an ASCII or a full-width @. The
	// top-level domain must be letters, so "2000@3.5" is not an address.
	emailPattern = `(?:` + localLatin + `|` + localHan + `)[@＠]` + label + `(?:` + dot + label + `)*` + dot + topLevel
)

// emailPatterns are the expressions that find addresses: as written, and
// spelt out with the words of the table for @ and the dot.
type emailPatterns struct {
	written, spelt *regexp.Regexp
	at             []string // what stands for @, lower case: a text with none holds no address
}

func newEmailPatterns(sp spelling) (*emailPatterns, error) {
	written, err := regexp.Compile(emailPattern)
	if err != nil {
		return nil, err
	}
	at := spelt(sp.At, "@＠")
	dt := spelt(sp.Dot, ".．")
	asciiLabel := `[A-Za-z0-9\-]+`
	spelt, err := regexp.Compile(`(?i)[A-Za-z0-9_.%+\-]+` + at + asciiLabel + `(?:` + dt + asciiLabel + `)*` + dt + `[A-Za-z]{2,}\b`)
	if err != nil {
		return nil, err
	}
	ats := []string{"@", "＠"}
	for _, w := range sp.At {
		ats = append(ats, strings.ToLower(w))
	}
	return &emailPatterns{written: written, spelt: spelt, at: ats}, nil
}

// spelt is a pattern for one of the words (a word of letters apart by
// spaces: " at "; anything else with optional spaces: "(at)", "艾特") or
// one of the symbols.
func spelt(words []string, symbols string) string {
	var bare, other []string
	for _, w := range words {
		if isLetters(w) {
			bare = append(bare, regexp.QuoteMeta(w))
		} else {
			other = append(other, regexp.QuoteMeta(w))
		}
	}
	alts := []string{`\s*[` + symbols + `]\s*`}
	if len(bare) > 0 {
		alts = append(alts, `\s+(?:`+strings.Join(bare, "|")+`)\s+`)
	}
	if len(other) > 0 {
		alts = append(alts, `\s*(?:`+strings.Join(other, "|")+`)\s*`)
	}
	return `(?:` + strings.Join(alts, "|") + `)`
}

// isLetters reports whether w is made of ASCII letters only.
func isLetters(w string) bool {
	for _, r := range w {
		if !isLatin(r) {
			return false
		}
	}
	return w != ""
}

// redact replaces every address in s.
func (p *emailPatterns) redact(s, with string) string {
	// Looking for an @ or its words first spares most texts the
	// expressions, which try a match at every character.
	lower := strings.ToLower(s)
	if !slices.ContainsFunc(p.at, func(w string) bool { return strings.Contains(lower, w) }) {
		return s
	}
	if strings.ContainsAny(s, "@＠") {
		s = p.written.ReplaceAllLiteralString(s, with)
	}
	return p.spelt.ReplaceAllLiteralString(s, with)
}
