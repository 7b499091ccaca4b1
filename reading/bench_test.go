package reading_test

import (
	"context"
	"testing"

	"policybot/reading"
)

// BenchmarkRead reads the realistic set's messages, each as its line says
// (a first message or a reply): the reading stage's cost in a turn.
func BenchmarkRead(b *testing.B) {
	r := newReader(b)
	cases := loadSet(b, "testdata/realistic.jsonl")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		r.Read(context.Background(), c.Q, reading.Context{Pending: c.Pending, Today: today})
	}
}
