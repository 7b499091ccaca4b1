// Package answerstest builds real answers from the embedded corpus for the
// tests of answers and of the adapters that phrase them.
package answerstest

import (
	"context"
	"sync"
	"testing"
	"time"

	"policybot/answers"
	"policybot/corpus"
	"policybot/kb"
	"policybot/retrieval"
)

// Today is the day the stack's answers are given: the notice is in force.
var Today = time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)

// Stack is the embedded corpus opened the way cmd/policybot opens it.
type Stack struct {
	Corpus   *kb.Corpus
	Answerer *answers.Answerer
	Replies  *answers.Replies
	Prompts  *answers.Prompts
	Verifier *answers.Verifier
}

// open builds the index once per test binary: it takes most of a second.
var open = sync.OnceValues(func() (*Stack, error) {
	fsys := corpus.Embedded()
	c, err := kb.Load(fsys)
	if err != nil {
		return nil, err
	}
	r, err := retrieval.Open(c, "", kb.AnalysisWords)
	if err != nil {
		return nil, err
	}
	replies, err := answers.LoadReplies(fsys)
	if err != nil {
		return nil, err
	}
	v, err := answers.LoadVerifier(fsys)
	if err != nil {
		return nil, err
	}
	now := func() time.Time { return Today }
	return &Stack{Corpus: c, Answerer: answers.New(r, replies, now), Replies: replies, Prompts: v.Prompts(), Verifier: v}, nil
})

// Close removes the stack's index; call it from TestMain after the tests.
func Close() {
	if s, err := open(); err == nil {
		s.Answerer.Retriever().Close()
	}
}

// Open returns the stack, shared by the tests of one binary.
func Open(tb testing.TB) *Stack {
	tb.Helper()
	s, err := open()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// Ask answers a question and fails the test unless it is answered.
func (s *Stack) Ask(tb testing.TB, question string) *answers.Answer {
	tb.Helper()
	a, err := s.Answerer.Ask(context.Background(), question)
	if err != nil {
		tb.Fatalf("ask %q: %v", question, err)
	}
	if a.Status != answers.Answered {
		tb.Fatalf("ask %q: %s (%s)", question, a.Status, a.Reason)
	}
	return a
}

// Pick names a sentence of the notice: clause ordinal, 0-based sentence.
type Pick struct{ Clause, Sentence int }

// Quoting builds the answer that quotes the picked sentences, grouped by
// clause in the order given, as if retrieval had found them: tests of
// phrasing then do not depend on how retrieval ranks.
func (s *Stack) Quoting(tb testing.TB, question, lang string, picks ...Pick) *answers.Answer {
	tb.Helper()
	doc := s.Corpus.Docs[0]
	a := &answers.Answer{Status: answers.Answered, Question: question, Lang: lang, Doc: doc, Today: Today}
	for _, p := range picks {
		c := doc.Clause(p.Clause)
		if c == nil || p.Sentence >= len(c.Sentences) {
			tb.Fatalf("no sentence %d in clause %d", p.Sentence, p.Clause)
		}
		if n := len(a.Quotes); n == 0 || a.Quotes[n-1].Clause != c {
			a.Quotes = append(a.Quotes, answers.Quote{Doc: doc, Clause: c})
		}
		q := &a.Quotes[len(a.Quotes)-1]
		q.Sentences = append(q.Sentences, c.Sentences[p.Sentence])
	}
	return a
}
