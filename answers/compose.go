package answers

import (
	"context"
	"policybot/zh"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/kb"
	"policybot/retrieval"
)

// Limits that keep an answer to a phone screen.
const (
	maxSentences     = 3
	maxQuoteRunes    = 200  // more sentences are added only while under this
	sentenceKeep     = 0.55 // a further sentence must score this share of the best
	relatedKeep      = 0.85 // a further clause must score this share of the best
	maxRelated       = 2
	retrievalResults = 5
)

// Answerer answers questions from the knowledge base, with no LLM.
type Answerer struct {
	retriever *retrieval.Retriever
	replies   *Replies
	now       func() time.Time
}

// New returns an answerer. now gives "today" for expiry; nil means the clock.
func New(r *retrieval.Retriever, replies *Replies, now func() time.Time) *Answerer {
	if now == nil {
		now = time.Now
	}
	return &Answerer{retriever: r, replies: replies, now: now}
}

// Retriever is the retriever the answerer searches with.
func (a *Answerer) Retriever() *retrieval.Retriever { return a.retriever }

// Replies are the reply templates the answerer renders with.
func (a *Answerer) Replies() *Replies { return a.replies }

// Ask answers a question. Invalid input (empty, too long, not UTF-8, no
// letters) is an error wrapping one of retrieval's Err values.
func (a *Answerer) Ask(ctx context.Context, question string) (*Answer, error) {
	lang := zh.Language(question, "")
	asks := a.replies.asked(lang, a.retriever.Normalize(question))
	res, err := a.retriever.SearchFor(ctx, question, retrievalResults, asks.kinds())
	if err != nil {
		return nil, err
	}
	ans := &Answer{
		Question: question,
		Lang:     lang,
		Today:    a.now(),
		Doc:      a.retriever.Corpus().Docs[0],
	}
	if res.OutOfScope || len(res.Hits) == 0 {
		ans.Status, ans.Reason, ans.Place = NoAnswer, res.Reason, res.Place
		return ans, nil
	}
	ans.Status = Answered
	// A clause granting a benefit the question names answers it, whatever
	// figure another states (个人创业担保贷款最多能贷多少 is clause 11's).
	hits := res.Hits
	if !slices.ContainsFunc(res.Benefits, func(r *kb.Rule) bool { return r.Ref() == hits[0].Clause.Ref() }) {
		hits = preferStated(hits, asks.figures)
	}
	best := hits[0]
	ans.Doc = best.Doc
	ans.Quotes = append(ans.Quotes, quote(best, maxSentences))
	for _, h := range hits[1:] {
		if len(ans.Quotes) > maxRelated || h.Score < relatedKeep*best.Score {
			break
		}
		ans.Quotes = append(ans.Quotes, quote(h, 1))
	}
	quoteNamed(ans, res.Benefits)
	citeLinked(ans, hits, res.Benefits)
	asks.settle(ans, res.Benefits)
	a.current(ans, res.Question, res.Benefits)
	return ans, nil
}

// statesFigure reports whether a quote states an amount, a percentage, a
// ratio or a rate.
func statesFigure(q Quote) bool {
	for _, s := range q.Sentences {
		for _, m := range s.Mentions {
			switch m.Kind {
			case kb.Amount, kb.Percent, kb.Ratio, kb.Rate:
				return true
			}
		}
	}
	return false
}

// deferral is the phrase of the quoted sentences (or else of their clause)
// that leaves details to another document: 实施细则另行制定.
func deferral(q Quote) string {
	for _, list := range [][]kb.Sentence{q.Sentences, q.Clause.Sentences} {
		for _, s := range list {
			for _, m := range s.Mentions {
				if m.Kind == kb.Reference && !strings.HasPrefix(m.Text, "《") && m.Text != "按规定" {
					return m.Text
				}
			}
		}
	}
	return ""
}

// quote picks up to n sentences of a hit that answer: the best one, and
// others nearly as good while the quote stays short, in text order.
func quote(h retrieval.Hit, n int) Quote {
	q := Quote{Doc: h.Doc, Clause: h.Clause, Score: h.Score}
	if len(h.Sentences) == 0 {
		// Only the title matched: the first sentence says what the clause does.
		if len(h.Clause.Sentences) > 0 {
			q.Sentences = h.Clause.Sentences[:1]
		}
		return q
	}
	best := h.Sentences[0].Score
	runes := 0
	var picked []int
	for _, s := range h.Sentences {
		if len(picked) == n || s.Score < sentenceKeep*best {
			break
		}
		text := h.Clause.Sentences[s.Index].Text
		if len(picked) > 0 && runes+utf8.RuneCountInString(text) > maxQuoteRunes {
			continue
		}
		picked = append(picked, s.Index)
		runes += utf8.RuneCountInString(text)
	}
	slices.Sort(picked)
	for _, i := range picked {
		q.Sentences = append(q.Sentences, h.Clause.Sentences[i])
	}
	return q
}
