package sqlite

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store/storetest"
)

// benchTurn returns a turn of a typical size: a question, a reply citing a
// clause, two facts and one verdict.
func benchTurn(session string) (bot.SessionRecord, bot.Turn) {
	s, t := storetest.SampleTurn(session, "我是小微企业，今年招了3个高校毕业生，电话138 1234 5678，能领补贴吗？")
	t.Status = "result"
	t.Facts = map[string]any{"hires": 3, "enterprise": "小微企业"}
	t.FactSources = map[string]string{"hires": "text", "enterprise": "button"}
	t.Results = []bot.Verdict{{Benefit: "一次性吸纳就业补贴", Doc: "cq-2022", Clause: 3, Status: "eligible", Amount: "2000元/人"}}
	return s, t
}

// reportTurnsPerSecond adds a turns/s figure to b's results.
func reportTurnsPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

// BenchmarkCommitTurn commits turns one after another, each a durable
// (fsynced) transaction.
func BenchmarkCommitTurn(b *testing.B) {
	db, _ := openTestDB(b, nil)
	ctx := storetest.Context(b)
	i := 0
	for b.Loop() {
		s, t := benchTurn(fmt.Sprintf("bench-%d", i)) // a new session each time: a session's version moves on with each commit
		if _, err := db.CommitTurn(ctx, s, t); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportTurnsPerSecond(b)
}

// BenchmarkCommitTurnParallel commits turns from 16 goroutines a core, as
// concurrent chats do; the group commit writes those waiting together.
func BenchmarkCommitTurnParallel(b *testing.B) {
	db, _ := openTestDB(b, nil)
	ctx := storetest.Context(b)
	var n atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s, t := benchTurn(fmt.Sprintf("bench-%d", n.Add(1)))
			if _, err := db.CommitTurn(ctx, s, t); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportTurnsPerSecond(b)
	b.ReportMetric(float64(db.batched.Load())/float64(max(1, db.batches.Load())), "turns/commit")
}

// BenchmarkLoadSession loads sessions from the read pool.
func BenchmarkLoadSession(b *testing.B) {
	db, _ := openTestDB(b, nil)
	ctx := storetest.Context(b)
	for i := range 100 {
		s, t := benchTurn(fmt.Sprintf("bench-%d", i))
		if _, err := db.CommitTurn(ctx, s, t); err != nil {
			b.Fatal(err)
		}
	}
	var n atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := db.LoadSession(ctx, fmt.Sprintf("bench-%d", n.Add(1)%100), time.Hour); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
