// Package bottest builds the dialogue engine for tests the way
// cmd/policybot does: the embedded corpus, its index, answers, the rules
// and a SQLite log. The read-only parts are built once per test binary;
// each test gets its own database.
package bottest

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/bot"
	"policybot/corpus"
	"policybot/kb"
	"policybot/reading"
	"policybot/retrieval"
	"policybot/sqlite"
)

// Today is the day tests treat as today, as POLICYBOT_TODAY=2026-11-26
// sets it: years after the notice, so measures with an end date have expired.
var Today = time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local)

// UserKey is the key user ids are hashed under in test databases.
var UserKey = bytes.Repeat([]byte{0x42}, sqlite.MinUserKeyLen)

// Parts are the read-only parts of the stack.
type Parts struct {
	Corpus    *kb.Corpus
	Retriever *retrieval.Retriever
	Replies   *answers.Replies
	Dialogue  *bot.Dialogue
	Reader    *reading.Reader
}

// dialogue is read once per test binary, like the rest of the stack.
var dialogue = sync.OnceValues(func() (*bot.Dialogue, error) { return bot.LoadDialogue(corpus.Embedded()) })

// reader is built once per test binary too.
var reader = sync.OnceValues(func() (*reading.Reader, error) {
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		return nil, err
	}
	return reading.Open(c)
})

// Shared returns the read-only parts, built once per test binary: the
// corpus, index and replies of answerstest, and the dialogue.
func Shared(tb testing.TB) *Parts {
	tb.Helper()
	s := answerstest.Open(tb)
	d, err := dialogue()
	if err != nil {
		tb.Fatalf("load dialogue: %v", err)
	}
	r, err := reader()
	if err != nil {
		tb.Fatalf("open reader: %v", err)
	}
	return &Parts{Corpus: s.Corpus, Retriever: s.Answerer.Retriever(), Replies: s.Replies, Dialogue: d, Reader: r}
}

// Close removes the shared index; call it from TestMain after the tests.
func Close() { answerstest.Close() }

// Config is an engine configuration whose answers and rules believe it is
// day, logging to store.
func Config(tb testing.TB, day time.Time, store bot.Store) bot.Config {
	tb.Helper()
	p := Shared(tb)
	now := func() time.Time { return day }
	eval, err := answers.NewEvaluator(p.Corpus, now)
	if err != nil {
		tb.Fatal(err)
	}
	return bot.Config{Answerer: answers.New(p.Retriever, p.Replies, now), Evaluator: eval, Reader: p.Reader, Dialogue: p.Dialogue, Store: store}
}

// OpenDB opens the SQLite log at path (a new file in tb.TempDir() when
// path is empty), closed when the test ends.
func OpenDB(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	if path == "" {
		path = filepath.Join(tb.TempDir(), "policybot.db")
	}
	db, err := sqlite.Open(path, sqlite.Config{UserKey: UserKey})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Engine is a real engine over the shared parts and a fresh database;
// configure, if given, changes its settings before it is built.
func Engine(tb testing.TB, day time.Time, configure ...func(*bot.Config)) (*bot.Engine, *sqlite.DB) {
	tb.Helper()
	db := OpenDB(tb, "")
	cfg := Config(tb, day, db)
	for _, f := range configure {
		f(&cfg)
	}
	e, err := bot.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return e, db
}
