package retrieval

import (
	"slices"
	"strings"

	"policybot/kb"
)

// factWords bridge people's words to the clauses that concern them through
// the fact schema: the phrases of facts.yaml are how people say who they are
// and what happened to them (欠薪, 跑外卖, 退伍, 残疾证, 被裁), and the rules
// say which clauses' benefits read each fact. A question that uses such a
// phrase is about those clauses, however the notice words them.
type factWords struct {
	phrases []factPhrase // longest first
	clauses map[string][]kb.ClauseRef
}

type factPhrase struct {
	text string
	fact string
}

// newFactWords gathers the phrases of every fact but who is asking (its
// phrases name no topic), folded as questions are, and the clauses of the
// rules that read each fact.
func newFactWords(c *kb.Corpus, fold func(string) string) *factWords {
	fw := &factWords{clauses: map[string][]kb.ClauseRef{}}
	if c.Facts == nil {
		return fw
	}
	for _, set := range c.Rules {
		for _, r := range set.Rules {
			for _, cond := range r.Conditions {
				for _, k := range cond.Facts {
					if k != kb.RoleFact && !slices.Contains(fw.clauses[k], r.Ref()) {
						fw.clauses[k] = append(fw.clauses[k], r.Ref())
					}
				}
			}
		}
	}
	for _, f := range c.Facts.Facts {
		if f.Key == kb.RoleFact || len(fw.clauses[f.Key]) == 0 {
			continue
		}
		for _, list := range f.Recognise.Phrases {
			for _, p := range list {
				if p = fold(p); len([]rune(p)) >= 2 && !strings.Contains(p, "…") {
					fw.phrases = append(fw.phrases, factPhrase{p, f.Key})
				}
			}
		}
	}
	slices.SortStableFunc(fw.phrases, func(a, b factPhrase) int { return len(b.text) - len(a.text) })
	return fw
}

// clausesOf gives each clause its share of the facts a question speaks of:
// a fact the rules of one clause read gives that clause all of it, one read
// in six clauses a sixth to each.
func (fw *factWords) clausesOf(question string) map[kb.ClauseRef]float64 {
	out := map[kb.ClauseRef]float64{}
	seen := map[string]bool{}
	for _, p := range fw.phrases {
		if seen[p.fact] || !strings.Contains(question, p.text) {
			continue
		}
		seen[p.fact] = true
		refs := fw.clauses[p.fact]
		for _, ref := range refs {
			out[ref] += 1 / float64(len(refs))
		}
	}
	return out
}
