package redact

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cue finds one kind of data by the words that announce it: re matches a
// cue (or a label and a link) and the links after it; take measures the
// data that starts where re ends, returning its length in bytes (0: none).
type cue struct {
	re     *regexp.Regexp
	words  []string // the cues and labels, lower case: a text with none is skipped
	asking []string // lower case; what follows starting with one is a question
	take   func(s string) int
	with   string
}

// Bounds of what a cue takes.
const (
	maxNameRunes    = 4  // 欧阳娜娜: a compound surname and two more
	maxNameWords    = 3  // Mary Ann Smith
	maxAddressRunes = 60 // a full address with building and room
	minQQDigits     = 5
	maxQQDigits     = 12
)

// cues compiles the table's cue words, in the order they are applied:
// addresses, QQ and WeChat before names, since a name is taken as the
// Chinese characters after its cue and would swallow the cue of an
// address that follows it without punctuation (我叫张伟住在…).
func (t *table) cues() ([]*cue, error) {
	stops := map[string]bool{}
	for _, w := range t.Names.Stops {
		stops[strings.ToLower(w)] = true
	}
	ends := t.Addresses.Ends
	kinds := []struct {
		words cueWords
		take  func(string) int
		with  string
	}{
		{t.Addresses, func(s string) int { return takeAddress(s, ends) }, t.Placeholders.Address},
		{t.QQ, takeQQ, t.Placeholders.QQ},
		{t.WeChat, takeWeChat, t.Placeholders.WeChat},
		{t.Names, func(s string) int { return takeName(s, stops) }, t.Placeholders.Name},
	}
	var out []*cue
	for _, k := range kinds {
		re, err := cuePattern(k.words, t.Links)
		if err != nil {
			return nil, err
		}
		var words []string
		for _, w := range append(slices.Clone(k.words.Cues), k.words.Labels...) {
			words = append(words, strings.ToLower(w))
		}
		var asking []string
		for _, w := range k.words.Asking {
			asking = append(asking, strings.ToLower(w))
		}
		out = append(out, &cue{re: re, words: words, asking: asking, take: k.take, with: k.with})
	}
	return out, nil
}

// cuePattern matches a cue and any links after it, or a label and at least
// one link, and the spaces before the data. Longer words come first, so 微信号
// wins over 微信.
func cuePattern(w cueWords, links []string) (*regexp.Regexp, error) {
	link := `(?:\s*(?:` + alternation(links) + `))`
	var parts []string
	if len(w.Cues) > 0 {
		parts = append(parts, `(?:`+alternation(w.Cues)+`)`+link+`*`)
	}
	if len(w.Labels) > 0 {
		parts = append(parts, `(?:`+alternation(w.Labels)+`)`+link+`+`)
	}
	return regexp.Compile(`(?i)(?:` + strings.Join(parts, "|") + `)\s*`)
}

// alternation is a regexp matching any of words, longest first.
func alternation(words []string) string {
	ws := slices.Clone(words)
	slices.SortStableFunc(ws, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	for i, w := range ws {
		ws[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(ws, "|")
}

// redactCues replaces what follows each cue, kind by kind.
func (r *Redactor) redactCues(s string) string {
	lower := strings.ToLower(s)
	for _, c := range r.cues {
		// Most texts hold no cue at all; looking for the words as plain
		// text is many times faster than running the expression.
		if slices.ContainsFunc(c.words, func(w string) bool { return strings.Contains(lower, w) }) {
			if out := c.redact(s); out != s {
				s, lower = out, strings.ToLower(out)
			}
		}
	}
	return s
}

func (c *cue) redact(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range c.re.FindAllStringIndex(s, -1) {
		if m[0] < last || !wordBounded(s, m[0], m[1]) || c.asks(s[m[1]:]) {
			continue
		}
		n := c.take(s[m[1]:])
		if n == 0 {
			continue
		}
		b.WriteString(s[last:m[1]])
		b.WriteString(c.with)
		last = m[1] + n
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// asks reports whether what follows a cue is a question about the kind of
// data rather than the data (办理地址是哪里).
func (c *cue) asks(rest string) bool {
	rest = strings.ToLower(rest)
	return slices.ContainsFunc(c.asking, func(w string) bool { return strings.HasPrefix(rest, w) })
}

// wordBounded reports whether the cue s[start:end] ends a word where it
// ends in a letter: "name" is a cue in "name: Li" but not in "named", nor
// "name is" in "name isabel". Its start is not checked: letters run into a
// cue (myQQ：123) more often than a cue hides inside a longer word.
func wordBounded(s string, start, end int) bool {
	last, _ := utf8.DecodeLastRuneInString(s[start:end])
	after, _ := utf8.DecodeRuneInString(s[end:])
	return !(isLatin(last) && isLatin(after))
}

// isLatin reports whether r is an ASCII letter.
func isLatin(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }

// takeName measures a name at the start of s: up to maxNameRunes Chinese
// characters, or up to maxNameWords words in letters that are not stops.
func takeName(s string, stops map[string]bool) int {
	first, _ := utf8.DecodeRuneInString(s)
	if unicode.Is(unicode.Han, first) {
		n, runes := 0, 0
		for _, r := range s {
			if !unicode.Is(unicode.Han, r) || runes == maxNameRunes {
				break
			}
			n += utf8.RuneLen(r)
			runes++
		}
		return n
	}
	end := 0
	for words := 0; words < maxNameWords; words++ {
		rest := s[end:]
		lead := len(rest) - len(strings.TrimLeft(rest, " "))
		if words > 0 && (lead == 0 || lead > 2) {
			break
		}
		w := rest[lead:]
		n := strings.IndexFunc(w, func(r rune) bool { return !isLatin(r) && r != '\'' && r != '-' && r != '.' })
		if n < 0 {
			n = len(w)
		}
		n = len(strings.TrimRight(w[:n], "'-."))
		if n == 0 || !isLatin(rune(w[0])) || stops[strings.ToLower(w[:n])] {
			break
		}
		end += lead + n
	}
	return end
}

// takeAddress measures an address at the start of s: up to the end of the
// clause (a character of ends, or a full stop before a space or the end:
// "No.12" goes on), at most maxAddressRunes characters, without trailing
// spaces.
func takeAddress(s, ends string) int {
	n, runes := 0, 0
	for _, r := range s {
		if strings.ContainsRune(ends, r) || runes == maxAddressRunes {
			break
		}
		if r == '.' && (n+1 == len(s) || s[n+1] == ' ') {
			break
		}
		n += utf8.RuneLen(r)
		runes++
	}
	n = len(strings.TrimRightFunc(s[:n], unicode.IsSpace))
	if utf8.RuneCountInString(s[:n]) < 2 {
		return 0
	}
	return n
}

// takeQQ measures a QQ number at the start of s: minQQDigits to
// maxQQDigits digits, ASCII or full-width, which may be grouped by single
// spaces or dashes.
func takeQQ(s string) int {
	n, digits, end := 0, 0, 0
	for _, r := range s {
		switch {
		case isAnyDigit(r):
			digits++
			n += utf8.RuneLen(r)
			end = n
		case (r == ' ' || r == '-') && digits > 0 && end == n:
			n += utf8.RuneLen(r)
		default:
			if digits >= minQQDigits && digits <= maxQQDigits {
				return end
			}
			return 0
		}
	}
	if digits >= minQQDigits && digits <= maxQQDigits {
		return end
	}
	return 0
}

// wechatPattern is the shape of a WeChat id: wxid_ and letters and digits,
// or, by WeChat's rule, 6 to 20 letters, digits, _ or -, starting with a
// letter; or the digits of a QQ number used as the id.
var wechatPattern = regexp.MustCompile(`^(?:(?i:wxid_)[A-Za-z0-9_]+|[A-Za-z][A-Za-z0-9_\-]{5,19}|[1-9][0-9]{4,11})`)

// takeWeChat measures a WeChat id at the start of s.
func takeWeChat(s string) int {
	m := wechatPattern.FindStringIndex(s)
	if m == nil {
		return 0
	}
	// An id runs to the end of its characters: one that goes on is longer
	// than WeChat allows, or a word (wechatgroup…), not an id.
	if next, _ := utf8.DecodeRuneInString(s[m[1]:]); next < utf8.RuneSelf && (isLatin(next) || isDigit(byte(next)) || next == '_' || next == '-') {
		return 0
	}
	return m[1]
}

// wechatID finds wxid_ ids, which need no cue.
type wechatID struct{ re *regexp.Regexp }

func newWechatID() *wechatID {
	return &wechatID{re: regexp.MustCompile(`(?i)wxid_[a-z0-9_]+`)}
}

func (w *wechatID) redact(s, with string) string {
	if !strings.Contains(strings.ToLower(s), "wxid_") {
		return s
	}
	return w.re.ReplaceAllLiteralString(s, with)
}

// isAnyDigit reports whether r is an ASCII or full-width digit.
func isAnyDigit(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }
