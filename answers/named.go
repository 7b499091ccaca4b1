package answers

import (
	"slices"
	"strings"

	"policybot/kb"
	"policybot/retrieval"
)

// quoteNamed makes sure the main quote holds the sentence that grants a
// benefit the question names (脱贫户去外省打工有交通补助吗 quotes the sentence
// of 跨区域交通补助, not only the one its other words match best), first,
// in place of the quote's weakest sentence when the quote is full.
func quoteNamed(ans *Answer, named []*kb.Rule) {
	main := &ans.Quotes[0]
	for _, r := range named {
		if r.Ref() != main.Clause.Ref() || r.Quote == nil {
			continue
		}
		if slices.ContainsFunc(main.Sentences, func(s kb.Sentence) bool { return s.Text == r.Quote.Text }) {
			return
		}
		kept := main.Sentences[:min(len(main.Sentences), maxSentences-1)]
		main.Sentences = append([]kb.Sentence{*r.Quote}, kept...)
		slices.SortStableFunc(main.Sentences, func(a, b kb.Sentence) int { return index(main.Clause, a) - index(main.Clause, b) })
		return
	}
}

// index is the position of sentence s in clause c, so quotes keep text order.
func index(c *kb.Clause, s kb.Sentence) int {
	return slices.IndexFunc(c.Sentences, func(x kb.Sentence) bool { return x.Text == s.Text })
}

// citeLinked cites, after the answer, the clauses among hits that grant
// another benefit the question names, or whose text names a named benefit
// the main clause grants: the notice links them itself (创业担保贷款 of
// clause 4 and the 创业担保贷款贴息 of clause 11), however much less well
// they match.
func citeLinked(ans *Answer, hits []retrieval.Hit, named []*kb.Rule) {
	main := ans.Quotes[0].Clause
	linked := func(h retrieval.Hit) bool {
		return slices.ContainsFunc(named, func(r *kb.Rule) bool {
			return r.Ref() == h.Clause.Ref() || (r.Ref() == main.Ref() && strings.Contains(h.Clause.Text(), r.Core()))
		})
	}
	for _, h := range hits {
		if len(ans.Quotes) > maxRelated {
			return
		}
		cited := slices.ContainsFunc(ans.Quotes, func(q Quote) bool { return q.Clause == h.Clause })
		if !cited && linked(h) {
			ans.Quotes = append(ans.Quotes, quote(h, 1))
		}
	}
}
