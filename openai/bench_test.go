package openai_test

import (
	"context"
	"testing"
	"time"

	"policybot/answers"
)

// BenchmarkPhraseLoopback measures what the model path adds to a reply,
// with the model a loopback server that answers at once: prompt rendering,
// the HTTP round trip through go-openai, JSON or SSE, and verification.
// A real model's own latency (hundreds of milliseconds or more) comes on
// top; the extractive reply is the baseline.
func BenchmarkPhraseLoopback(b *testing.B) {
	model := newLoopback(b, says(grounded))
	client := model.client(b, model.config())
	p, st := phrasing(b, client, 5*time.Second)
	a := askGraduates(b, st)
	ctx := context.Background()

	b.Run("extractive", func(b *testing.B) {
		for b.Loop() {
			st.Replies.Text(a)
		}
	})
	b.Run("phrased", func(b *testing.B) {
		for b.Loop() {
			if r := p.Reply(ctx, a, nil); r.Outcome != answers.PhraseUsed {
				b.Fatalf("%s: %s", r.Outcome, r.Reason)
			}
		}
	})
	b.Run("streamed", func(b *testing.B) {
		for b.Loop() {
			if r := p.Stream(ctx, a, nil, func(string) error { return nil }); r.Outcome != answers.PhraseUsed {
				b.Fatalf("%s: %s", r.Outcome, r.Reason)
			}
		}
	})
	b.Run("verify only", func(b *testing.B) {
		req := answers.NewPhraseRequest(a, nil)
		out := answers.Phrased{Text: grounded, Cited: []int{1}}
		for b.Loop() {
			if _, err := st.Verifier.Verify(out, req); err != nil {
				b.Fatal(err)
			}
		}
	})
}
