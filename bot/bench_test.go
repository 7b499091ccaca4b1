package bot_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"policybot/bot"
)

// benchTurns is a conversation the benchmarks hold over and over: a check
// in free text and buttons, then a question about the notice.
var benchTurns = []bot.Message{
	{Text: "我们公司今年招了三个应届生，有什么补贴？"},
	{Option: "small"},
	{Text: "都满半年了"},
	{Text: "我们一共二十个人"},
	{Option: bot.OptionSkip},
	{Text: "灵活就业社保补贴怎么算？"},
}

// BenchmarkChatTurn is one chat turn: reading the message, answering or
// judging the 46 benefits and choosing a question, and committing the
// session and the redacted log to SQLite (synchronous=FULL) before it
// returns. serial is one conversation at a time; parallel runs one per
// goroutine, all sharing the database's single writer; no-log is serial
// with a store that keeps sessions in memory, to show what the log costs.
func BenchmarkChatTurn(b *testing.B) {
	b.Run("no-log", func(b *testing.B) {
		e := newEngine(b, today, func(c *bot.Config) { c.Store = &memStore{sessions: map[string]bot.SessionRecord{}} })
		session, step := "", 0
		for b.Loop() {
			session, step = benchTurn(b, e, session, step)
		}
	})
	b.Run("serial", func(b *testing.B) {
		e := newEngine(b, today)
		session, step := "", 0
		for b.Loop() {
			session, step = benchTurn(b, e, session, step)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		e := newEngine(b, today)
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			session, step := "", 0
			for pb.Next() {
				session, step = benchTurn(b, e, session, step)
			}
		})
	})
}

// benchTurn sends the step'th message of benchTurns and returns where the
// conversation goes on.
func benchTurn(b *testing.B, e *testEngine, session string, step int) (string, int) {
	r := e.send(b, session, benchTurns[step])
	if step++; step == len(benchTurns) {
		return "", 0
	}
	return r.Session, step
}

// memStore keeps sessions in memory and logs nothing: a chat turn without
// its SQLite write, for comparison.
type memStore struct {
	sessions map[string]bot.SessionRecord
	turns    atomic.Int64
}

func (m *memStore) LoadSession(_ context.Context, id string, _ time.Duration) (bot.SessionRecord, error) {
	rec, ok := m.sessions[id]
	if !ok {
		return bot.SessionRecord{}, bot.ErrSessionNotFound
	}
	return rec, nil
}

func (m *memStore) CommitTurn(_ context.Context, s bot.SessionRecord, _ bot.Turn) (int64, error) {
	m.sessions[s.ID] = s
	return m.turns.Add(1), nil
}

func (m *memStore) RecordFeedback(context.Context, string, int64, bool) error { return nil }
