package retrieval

import (
	"unicode/utf8"

	"policybot/kb"
	"slices"
	"strings"
)

// minNamedRunes: the end of a benefit's name names it on its own when it is
// at least this long and the notice uses it in that benefit's clause only
// (交通补助 for 跨区域交通补助; not 就业岗位, which three clauses use).
const minNamedRunes = 4

// minPartialRunes: the start of a benefit's name names it when it is at
// least this long (see nameStarts).
const minPartialRunes = 6

// englishNamed: the share of the words of a benefit's English name a
// question must use to name it (cross-regional transportation subsidy
// names the Cross-region travel subsidy).
const englishNamed = 0.75

// benefitName is how questions may name a benefit, worked out once.
type benefitName struct {
	names  []string // the core of its name first
	stems  []string // of its English name
	starts []string // the starts of its core that name it (see nameStarts), longest first
}

// benefitNames are the ways of naming each benefit of the corpus: the core
// of its name; its end when that is distinctive; and its first word when
// that is a policy word (rare in everyday language) only its clause uses
// (缓缴 for 缓缴养老保险、失业保险、工伤保险费).
func benefitNames(c *kb.Corpus, seg *kb.Segmenter) map[*kb.Rule]benefitName {
	out := map[*kb.Rule]benefitName{}
	clauseText := map[kb.ClauseRef]string{}
	for _, d := range c.Docs {
		for _, cl := range d.Clauses() {
			clauseText[cl.Ref()] = cl.Text()
		}
	}
	// only reports whether the notice uses w in clause ref alone.
	only := func(w string, ref kb.ClauseRef) bool {
		for r, text := range clauseText {
			if r != ref && strings.Contains(text, w) {
				return false
			}
		}
		return strings.Contains(clauseText[ref], w)
	}
	for _, d := range c.Docs {
		set := c.Rules[d.ID]
		if set == nil {
			continue
		}
		for _, rule := range set.Rules {
			core := rule.Core()
			names := []string{core}
			if runes := []rune(core); len(runes) > minNamedRunes {
				if end := string(runes[len(runes)-minNamedRunes:]); only(end, rule.Ref()) {
					names = append(names, end)
				}
			}
			if words := seg.Cut(core); len(words) > 1 {
				first := words[0]
				if utf8.RuneCountInString(first) > 1 && seg.Freq(first) < everydayFreq && only(first, rule.Ref()) {
					names = append(names, first)
				}
			}
			out[rule] = benefitName{names: names, stems: seg.Stems(rule.English), starts: nameStarts(names[0])}
		}
	}
	return out
}

// named lists the benefits of the corpus a question names: by a name of
// theirs in the question or in what the tables rewrote it to, or by most of
// the words of their English name.
func (r *Retriever) named(q query) []*kb.Rule {
	stems := r.seg.Stems(q.text)
	var out []*kb.Rule
	for _, d := range r.corpus.Docs {
		set := r.corpus.Rules[d.ID]
		if set == nil {
			continue
		}
		for _, rule := range set.Rules {
			bn := r.benefitNames[rule]
			names := bn.names
			// A table's rewrite names a benefit only by its whole name: the
			// shorter names are the question's own words or nothing.
			chinese := slices.ContainsFunc(names, func(name string) bool { return strings.Contains(q.text, name) }) ||
				slices.ContainsFunc(q.rewrote, func(w string) bool { return strings.Contains(w, names[0]) }) ||
				slices.ContainsFunc(bn.starts, func(start string) bool { return strings.Contains(q.text, start) })
			if chinese || namesInEnglish(stems, bn.stems) {
				out = append(out, rule)
			}
		}
	}
	return r.forWhom(q.text, out)
}

// forWhom keeps, of the benefits a question names, those of the claimant it
// names, when it names one: 个人创业担保贷款 is not the firm's loan of
// clause 4, whose name it contains. Who is named by the words of the role
// fact's buttons (个人（求职者、劳动者、创业者）).
func (r *Retriever) forWhom(text string, named []*kb.Rule) []*kb.Rule {
	role := r.corpus.Facts.Fact(kb.RoleFact)
	if len(named) == 0 || role == nil {
		return named
	}
	for _, o := range role.Options {
		said := slices.ContainsFunc(strings.FieldsFunc(o.Label, func(c rune) bool { return strings.ContainsRune("（）、，等 ", c) }),
			func(w string) bool { return utf8.RuneCountInString(w) > 1 && strings.Contains(text, w) })
		if !said {
			continue
		}
		return slices.DeleteFunc(slices.Clone(named), func(rule *kb.Rule) bool { return !rule.Claims(o.Value) })
	}
	return named
}

// nameStarts are the starts of a name that name it, longest first: at least
// six characters and two thirds of it. 创业担保贷款 names 创业担保贷款贴息
// (with the firm's 创业担保贷款 of clause 4; forWhom tells them apart); 职业
// 介绍 is too short to name 职业介绍补贴 rather than the free 职业介绍.
func nameStarts(name string) []string {
	runes := []rune(name)
	least := max(minPartialRunes, (2*len(runes)+2)/3)
	var out []string
	for k := len(runes) - 1; k >= least; k-- {
		out = append(out, string(runes[:k]))
	}
	return out
}

// namesInEnglish reports whether the question's stems hold at least two
// and most of the stems of an English name.
func namesInEnglish(question, name []string) bool {
	n := 0
	for _, s := range name {
		if slices.Contains(question, s) {
			n++
		}
	}
	return n >= 2 && float64(n) >= englishNamed*float64(len(name))
}
