package retrieval

import (
	"policybot/kb"
	"slices"
	"strings"
)

// englishNamed: the share of the words of a benefit's English name a
// question must use to name it (cross-regional transportation subsidy
// names the Cross-region travel subsidy).
const englishNamed = 0.75

// named lists the benefits of the corpus a question names: by the core of
// their Chinese name, in the question or in what the tables rewrote it to,
// or by most of the words of their English name.
func (r *Retriever) named(q query) []*kb.Rule {
	stems := r.seg.Stems(q.text)
	var out []*kb.Rule
	for _, d := range r.corpus.Docs {
		set := r.corpus.Rules[d.ID]
		if set == nil {
			continue
		}
		for _, rule := range set.Rules {
			core := rule.Core()
			chinese := strings.Contains(q.text, core) || slices.ContainsFunc(q.rewrote, func(w string) bool { return strings.Contains(w, core) })
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
