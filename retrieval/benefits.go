package retrieval

import (
	"policybot/kb"
	"slices"
	"strings"
)

// minNamedRunes: the end of a benefit's name names it on its own when it is
// at least this long and the notice uses it in that benefit's clause only
// (交通补助 for 跨区域交通补助; not 就业岗位, which three clauses use).
const minNamedRunes = 4

// englishNamed: the share of the words of a benefit's English name a
// question must use to name it (cross-regional transportation subsidy
// names the Cross-region travel subsidy).
const englishNamed = 0.75

// benefitNames are the ways of naming each benefit of the corpus: the core
// of its name, and its end when that is distinctive.
func benefitNames(c *kb.Corpus) map[*kb.Rule][]string {
	out := map[*kb.Rule][]string{}
	clauseText := map[kb.ClauseRef]string{}
	for _, d := range c.Docs {
		for _, cl := range d.Clauses() {
			clauseText[cl.Ref()] = cl.Text()
		}
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
				end := string(runes[len(runes)-minNamedRunes:])
				n := 0
				for ref, text := range clauseText {
					if strings.Contains(text, end) {
						n++
						if ref != rule.Ref() {
							n = 2
							break
						}
					}
				}
				if n == 1 {
					names = append(names, end)
				}
			}
			out[rule] = names
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
			chinese := slices.ContainsFunc(r.benefitNames[rule], func(name string) bool {
				return strings.Contains(q.text, name) || slices.ContainsFunc(q.rewrote, func(w string) bool { return strings.Contains(w, name) })
			})
			if chinese || namesInEnglish(stems, r.seg.Stems(rule.English)) {
				out = append(out, rule)
			}
		}
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
