package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/kb"
)

// query is a question prepared for search.
type query struct {
	text    string
	terms   []kb.Term
	content float64 // weight of the words that carry meaning (not stop words, not bare numbers)
	covered float64 // of those, how much the corpus knows, directly or through the tables
	unknown []string
}

// singleCharWeight: a lone character the corpus does not know (俺, 钱, 租)
// is more often colloquial filler than a topic of its own.
const singleCharWeight = 0.5


// coverage is the share of the question's meaningful words the corpus knows.
func (q query) coverage() float64 {
	if q.content == 0 {
		return 0
	}
	return q.covered / q.content
}

// analyze cuts a normalised question into weighted search terms (its own
// words, the tables' rewrites, homophone corrections) and measures how much
// of it the corpus knows.
func (r *Retriever) analyze(text string) query {
	q := query{text: text}
	exps := r.tables.expand(text)
	exps = append(exps, r.homophones.find(text, r.vocab, exps)...)
	q.terms = r.weigh(text, exps)
	at := 0
	for _, w := range r.seg.Cut(text) {
		i := strings.Index(text[at:], w)
		if i < 0 {
			continue
		}
		s, e := at+i, at+i+len(w)
		at = e
		if isNumber(w) {
			continue
		}
		weight := 1.0
		if utf8.RuneCountInString(w) == 1 {
			weight = singleCharWeight
		}
		q.content += weight
		if r.knows(w) || overlaps(exps, s, e) {
			q.covered += weight
		} else {
			q.unknown = append(q.unknown, w)
		}
	}
	return q
}

// knows reports whether the corpus uses word w: as one of its words, or
// for words of two characters or more, anywhere in its text.
func (r *Retriever) knows(w string) bool {
	return r.vocab[w] || (utf8.RuneCountInString(w) > 1 && strings.Contains(r.text, w))
}

// weigh turns the question and its expansions into index terms, each with
// the highest weight any source gave it.
func (r *Retriever) weigh(text string, exps []expansion) []kb.Term {
	weights := map[string]float64{}
	var order []string
	add := func(s string, boost float64) {
		for _, w := range r.index.Terms(s) {
			if _, seen := weights[w]; !seen {
				order = append(order, w)
			}
			weights[w] = max(weights[w], boost)
		}
	}
	add(text, 1)
	for _, e := range exps {
		for _, to := range e.to {
			add(to, e.boost)
		}
	}
	out := make([]kb.Term, len(order))
	for i, w := range order {
		out[i] = kb.Term{Text: w, Boost: weights[w]}
	}
	return out
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' && r != '%' {
			return false
		}
	}
	return true
}
