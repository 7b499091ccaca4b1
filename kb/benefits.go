package kb

import (
	"strings"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// Benefits lists the benefits a notice's rules say clause ref grants, in
// the order of the rules file.
func (c *Corpus) Benefits(ref ClauseRef) []*Rule {
	set := c.Rules[ref.Doc]
	if set == nil {
		return nil
	}
	var out []*Rule
	for _, r := range set.Rules {
		if r.Clause == ref.Clause {
			out = append(out, r)
		}
	}
	return out
}

// Core is the benefit's name without what its parentheses add:
// 社保补贴（用人单位吸纳就业困难人员） is 社保补贴 to those who ask for it.
func (r *Rule) Core() string {
	name, _, _ := strings.Cut(r.Name, "（")
	return strings.TrimSpace(name)
}

// moneyKinds are the kinds of figure that say what a benefit is worth.
var moneyKinds = []MentionKind{Amount, Percent, Ratio, Rate}

// StatesAmount reports whether the sentence that grants the benefit says
// what it is worth: a figure of its amount (2000元/人, 50%, 2/3) is one of
// that sentence's. 一次性创业补贴 shares its sentence with 10万元以下 loans,
// which are not its amount, so it states none.
func (r *Rule) StatesAmount() bool {
	if r.Amount == nil || r.Quote == nil {
		return false
	}
	for _, a := range Extract(Normalize(r.Amount.Text), nil) {
		if !isMoney(a.Kind) {
			continue
		}
		for _, m := range r.Quote.Mentions {
			if m.Kind == a.Kind && m.Value == a.Value && m.Max == a.Max {
				return true
			}
		}
	}
	return false
}

func isMoney(k MentionKind) bool {
	for _, m := range moneyKinds {
		if k == m {
			return true
		}
	}
	return false
}

// Stems are the English words of text in lower case, stemmed (hiring and
// hire are both hire), without stop words and the words too short to tell
// anything (of, to). A nil segmenter keeps every word.
func (s *Segmenter) Stems(text string) []string {
	var out []string
	lower := strings.ToLower(text)
	// The runs of a-z: bytes of other characters in UTF-8 are never in
	// that range. (A scan, not a regexp: every question passes here.)
	for i := 0; i < len(lower); {
		if !isLowerLatin(lower[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(lower) && isLowerLatin(lower[j]) {
			j++
		}
		w := lower[i:j]
		i = j
		if len(w) > 2 && (s == nil || !s.stop[w]) {
			out = append(out, porterstemmer.StemString(w))
		}
	}
	return out
}

func isLowerLatin(b byte) bool { return 'a' <= b && b <= 'z' }

// NameIn is the benefit's name in lang: its English name in English, else
// the core of the notice's name.
func (r *Rule) NameIn(lang string) string {
	if lang == LangEnglish {
		return r.English
	}
	return r.Core()
}
