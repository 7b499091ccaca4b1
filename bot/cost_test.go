package bot_test

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// longMessages are messages of the longest length allowed (1,000
// characters), each of one class of characters: what an attacker sends to
// make each message as costly as it can be. One such Latin, digit or
// full-width "word" once cost 0.7-1.0 s of CPU.
func longMessages() []struct{ class, text string } {
	rng := rand.New(rand.NewPCG(13, 13))
	pick := func(alphabet string, n int) string {
		a := []rune(alphabet)
		out := make([]rune, n)
		for i := range out {
			out[i] = a[rng.IntN(len(a))]
		}
		return string(out)
	}
	const (
		latin  = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		digits = "0123456789"
		full   = "ａｂｃｄｅｆｇＡＢＣＤＥＦＧ０１２３４５６７８９"
		han    = "就业创业补贴企业社会保险高校毕业生失业人员培训贷款担保吸纳岗位重庆市人力资源和保障局"
		emoji  = "😀😂🤣😍🙏👍🎉🔥💯✨"
	)
	return []struct{ class, text string }{
		{"latin", pick(latin, 1000)},
		{"one-letter", strings.Repeat("a", 1000)},
		{"digits", pick(digits, 1000)},
		{"full-width", pick(full, 1000)},
		{"mixed", pick(latin+digits+full+han+emoji+" ，。!?-_/", 1000)},
		{"han", pick(han, 1000)},
		{"emoji", pick(emoji, 999) + "补"}, // emoji alone is refused before any work
	}
}

// medianQuestion is the yardstick: a question as people ask it.
const medianQuestion = "我们公司今年招了三个应届生，有什么补贴？"

// TestLongMessagesCostLittle sends 1,000 characters of each class and
// checks that none costs more than a generous bound: the turn, its reading,
// retrieval and answer, and its SQLite commit. The target, no more than 10×
// the median question, is held by BenchmarkLongMessage; this test catches a
// return of the cubic cost (then 600-800 ms here) without timing noise
// failing it.
func TestLongMessagesCostLittle(t *testing.T) {
	const bound = 250 * time.Millisecond
	e := newEngine(t, today)
	for _, m := range longMessages() {
		best := time.Hour
		for range 3 {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			start := time.Now()
			_, err := e.Handle(ctx, bot.Message{Channel: "web", Text: m.text})
			took := time.Since(start)
			cancel()
			if err != nil {
				t.Fatalf("%s: %v", m.class, err)
			}
			best = min(best, took)
		}
		if best > bound {
			t.Errorf("1,000 characters of %s took %v at best; want under %v", m.class, best, bound)
		}
	}
}

// BenchmarkLongMessage is one turn of each class of 1,000-character
// message, and of the median question for comparison.
func BenchmarkLongMessage(b *testing.B) {
	e := newEngine(b, today)
	ctx := context.Background()
	cases := append([]struct{ class, text string }{{"question", medianQuestion}}, longMessages()...)
	for _, m := range cases {
		b.Run(m.class, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Handle(ctx, bot.Message{Channel: "web", Text: m.text}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
