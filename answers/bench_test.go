package answers_test

import (
	"context"
	"testing"
	"time"

	"policybot/answers"
	"policybot/corpus"
	"policybot/kb"
	"policybot/kb/kbtest"
	"policybot/retrieval"
)

var benchQuestions = []string{
	"我们公司招了3个应届生，有什么补贴？",
	"灵活就业社保补贴 4050",
	"稳岗返还比例",
	"what is the unemployment insurance rate",
	"重庆明天天气怎么样",
}

// BenchmarkAnswer is one question end to end (normalise, search, compose,
// render) on the real corpus.
func BenchmarkAnswer(b *testing.B) {
	benchAnswer(b, answerer(b, "2026-11-26"))
}

// BenchmarkAnswer1000 is the same on a corpus of 1,000 generated notices,
// each worded in a vocabulary of its own (kbtest.Generate). Building their
// index takes minutes; it is built once, before the timing.
func BenchmarkAnswer1000(b *testing.B) {
	fsys, err := kbtest.Generate(corpus.Embedded(), 1000)
	if err != nil {
		b.Fatal(err)
	}
	c, err := kb.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	r, err := retrieval.Open(c, "", kb.AnalysisWords)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	replies, err := answers.LoadReplies(fsys)
	if err != nil {
		b.Fatal(err)
	}
	benchAnswer(b, answers.New(r, replies, time.Now))
}

func benchAnswer(b *testing.B, a *answers.Answerer) {
	ctx := context.Background()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		ans, err := a.Ask(ctx, benchQuestions[i%len(benchQuestions)])
		if err != nil {
			b.Fatal(err)
		}
		_ = a.Replies().Text(ans)
		i++
	}
}
