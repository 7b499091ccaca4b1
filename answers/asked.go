package answers

import (
	"fmt"
	"slices"
	"strings"

	"policybot/kb"
	"policybot/retrieval"
)

// figureAsk is a kind of figure a question may ask for, known by its cues
// (replies.yaml figure_asks): 最多能贷多少 asks for an amount stated as a
// ceiling (最高300万元), 比例是多少 for a percentage.
type figureAsk struct {
	Cues       []string       `yaml:"cues"`
	Kind       kb.MentionKind `yaml:"kind"`
	Qualifiers []string       `yaml:"qualifiers"` // when given, the figure's qualifier must contain one (最高, 不超过)
}

func (f figureAsk) check() error {
	if len(f.Cues) == 0 {
		return fmt.Errorf("figure_asks: %s without cues", f.Kind)
	}
	if !(kb.Mention{Kind: f.Kind}).IsFigure() {
		return fmt.Errorf("figure_asks: %q is not a kind of figure", f.Kind)
	}
	return nil
}

// statedBy reports whether a sentence states the figure asked for.
func (f figureAsk) statedBy(s kb.Sentence) bool {
	return slices.ContainsFunc(s.Mentions, func(m kb.Mention) bool {
		return m.Kind == f.Kind && (len(f.Qualifiers) == 0 ||
			slices.ContainsFunc(f.Qualifiers, func(q string) bool { return strings.Contains(m.Qualifier, q) }))
	})
}

// figureAsks lists the kinds of figure a question asks for, by the cues
// of its language.
func (r *Replies) figureAsks(lang, question string) []figureAsk {
	q := strings.ToLower(question)
	var out []figureAsk
	for _, f := range r.set(lang).FigureAsks {
		if slices.ContainsFunc(f.Cues, func(c string) bool { return strings.Contains(q, strings.ToLower(c)) }) {
			out = append(out, f)
		}
	}
	return out
}

// stated counts the figures asked for that the sentences a hit would be
// quoted with state.
func stated(h retrieval.Hit, asks []figureAsk) int {
	n := 0
	for _, f := range asks {
		if slices.ContainsFunc(quote(h, maxSentences).Sentences, f.statedBy) {
			n++
		}
	}
	return n
}

// preferStated puts first, among the clauses an answer would cite (those
// that match the question nearly as well as the best: within relatedKeep),
// the one whose quote states most of the figures asked for; otherwise the
// order stands. 创业担保贷款最多能贷多少 matches clause 11 (its 10万元以下
// loans) a little better than clause 4, but clause 4 states the ceiling:
// 最高300万元.
func preferStated(hits []retrieval.Hit, asks []figureAsk) []retrieval.Hit {
	if len(hits) < 2 || len(asks) == 0 {
		return hits
	}
	best, most := 0, stated(hits[0], asks)
	for i := 1; i <= maxRelated && i < len(hits) && hits[i].Score >= relatedKeep*hits[0].Score; i++ {
		if n := stated(hits[i], asks); n > most {
			best, most = i, n
		}
	}
	if best == 0 {
		return hits
	}
	out := append([]retrieval.Hit{hits[best]}, hits[:best]...)
	return append(out, hits[best+1:]...)
}
