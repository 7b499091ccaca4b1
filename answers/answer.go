package answers

import (
	"time"

	"policybot/kb"
)

// Status of an answer.
type Status string

// Answer statuses of the ask contract.
const (
	Answered Status = "answered"
	NoAnswer Status = "no_answer"
)

// Answer is one structured answer; channels render it, none rebuilds it.
type Answer struct {
	Status   Status
	Question string
	Lang     string  // "zh" or "en": the language of the question
	Quotes   []Quote // the answer first, related clauses after
	Reason   string  // why there is no answer, for the log
	// NotStated is set when the question asks for a figure and the quote
	// states none; Deferral is the notice's words that leave it elsewhere.
	NotStated bool
	Deferral  string
	// Benefit is the benefit the question names whose amount the notice
	// does not state, when that is why NotStated is set.
	Benefit *kb.Rule
	// Place is the other region a refused question asks about; the reply
	// says whose notice this is and where it applies.
	Place string
	Doc   *kb.Document
	Today time.Time
	// Later is what the policy update registry says of the main quote's
	// measures on Today; nil when the notice has none. AsksCurrent is set
	// when the question asks what is current (还有吗, 现在是多少): the reply
	// then leads with the registry.
	Later       *Currency
	AsksCurrent bool
}

// Quote is a clause cited in an answer and the sentences quoted from it.
type Quote struct {
	Doc       *kb.Document
	Clause    *kb.Clause
	Sentences []kb.Sentence // in text order
	Score     float64
}

// Citation is the JSON form of a quote in the ask contract.
type Citation struct {
	Doc    string `json:"doc"`
	Clause int    `json:"clause"`
	Title  string `json:"title"`
	Quote  string `json:"quote"`
}

// Text is the quoted sentences joined.
func (q Quote) Text() string {
	var s string
	for _, x := range q.Sentences {
		s += x.Text
	}
	return s
}

// Ended returns the earliest end date among the quoted sentences that lies
// before today, if any: the measure quoted has expired.
func (q Quote) Ended(today time.Time) *kb.Expiry {
	var out *kb.Expiry
	for _, s := range q.Sentences {
		if s.Ends != nil && s.Ends.Date.Before(today) && (out == nil || s.Ends.Date.Before(out.Date)) {
			out = s.Ends
		}
	}
	return out
}

// Citations lists the quotes in the contract's JSON form, most relevant first.
func (a *Answer) Citations() []Citation {
	out := make([]Citation, 0, len(a.Quotes))
	for _, q := range a.Quotes {
		out = append(out, Citation{Doc: q.Doc.ID, Clause: q.Clause.Ordinal, Title: q.Clause.Title, Quote: q.Text()})
	}
	return out
}

// Refs lists the cited clauses.
func (a *Answer) Refs() []kb.ClauseRef {
	out := make([]kb.ClauseRef, 0, len(a.Quotes))
	for _, q := range a.Quotes {
		out = append(out, q.Clause.Ref())
	}
	return out
}
