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

// asking is what a question asks for: the kinds of figure its cues name,
// and whether it asks for a figure at all (多少钱, 标准是).
type asking struct {
	figures []figureAsk
	any     bool
}

// asked reads what a normalised question asks for, by the cues of its language.
func (r *Replies) asked(lang, question string) asking {
	return asking{figures: r.figureAsks(lang, question), any: r.asksFigure(lang, question)}
}

// kinds are the kinds of figure asked for; a question that asks for a
// figure without saying which asks what something is worth.
func (a asking) kinds() []kb.MentionKind {
	var out []kb.MentionKind
	for _, f := range a.figures {
		out = append(out, f.Kind)
	}
	if a.any && len(out) == 0 {
		out = append(out, kb.Amount)
	}
	return out
}

// money reports whether the question asks what a benefit is worth.
func (a asking) money() bool {
	return slices.ContainsFunc(a.kinds(), func(k kb.MentionKind) bool {
		return k == kb.Amount || k == kb.Percent || k == kb.Ratio || k == kb.Rate
	})
}

// settle decides whether an answer must say that the figure asked for is
// not stated. Asked what a benefit it names is worth, the answer is the
// benefit's own: stated if the sentence granting it states its amount, and
// otherwise not stated, quoting that sentence alone, whatever other figures
// its clause holds (一次性创业补贴具体发多少钱: its sentence's 10万元以下 is a
// loan limit). Otherwise the quote must state a figure of a kind asked for.
func (a asking) settle(ans *Answer, named []*kb.Rule) {
	if !a.any && len(a.figures) == 0 {
		return
	}
	main := &ans.Quotes[0]
	var granted []*kb.Rule
	for _, r := range named {
		if r.Ref() == main.Clause.Ref() && r.Quote != nil {
			granted = append(granted, r)
		}
	}
	if a.money() && len(granted) > 0 {
		if slices.ContainsFunc(granted, (*kb.Rule).StatesAmount) {
			return
		}
		ans.NotStated, ans.Benefit = true, granted[0]
		main.Sentences = []kb.Sentence{*granted[0].Quote}
		ans.Deferral = deferral(*main)
		return
	}
	if !a.states(*main) {
		ans.NotStated, ans.Deferral = true, deferral(*main)
	}
}

// states reports whether a quote states a figure of a kind asked for; a
// date or a period answers how long as well.
func (a asking) states(q Quote) bool {
	if len(a.figures) == 0 {
		return statesFigure(q)
	}
	for _, f := range a.figures {
		for _, s := range q.Sentences {
			if f.statedBy(s) || (f.Kind == kb.Duration && slices.ContainsFunc(s.Mentions, func(m kb.Mention) bool {
				return m.Kind == kb.Date || m.Kind == kb.Period
			})) {
				return true
			}
		}
	}
	return false
}
