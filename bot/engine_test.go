package bot_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"policybot/answers"
	"policybot/bot"
	"policybot/corpus"
	"policybot/kb"
	"policybot/retrieval"
	"policybot/sqlite"
)

// today is the day the engine's answers and rules believe it is, as
// POLICYBOT_TODAY=2026-11-26 sets it: years after the notice, so measures
// with an end date have expired.
var today = time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local)

// userKey is the key user ids are hashed under in the test databases.
var userKey = bytes.Repeat([]byte{0x42}, sqlite.MinUserKeyLen)

// indexDir holds the search index the tests share: building it (and
// loading the word segmenter) takes most of a second, a database takes
// milliseconds, so each test gets its own database and the same index.
var indexDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "policybot-bot-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	indexDir = dir
	code := m.Run()
	if s, err := shared(); err == nil {
		s.retriever.Close()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// stack is the embedded corpus opened as cmd/policybot opens it.
type stack struct {
	corpus    *kb.Corpus
	retriever *retrieval.Retriever
	replies   *answers.Replies
	dialogue  *bot.Dialogue
}

var shared = sync.OnceValues(func() (*stack, error) {
	fsys := corpus.Embedded()
	c, err := kb.Load(fsys)
	if err != nil {
		return nil, err
	}
	r, err := retrieval.Open(c, filepath.Join(indexDir, "index-gse"), kb.AnalysisWords)
	if err != nil {
		return nil, err
	}
	replies, err := answers.LoadReplies(fsys)
	if err != nil {
		return nil, err
	}
	d, err := bot.LoadDialogue(fsys)
	if err != nil {
		return nil, err
	}
	return &stack{corpus: c, retriever: r, replies: replies, dialogue: d}, nil
})

// testEngine is a real engine over the embedded corpus with its own SQLite
// database.
type testEngine struct {
	*bot.Engine
	db   *sqlite.DB
	path string // of the database
	cfg  bot.Config
}

// newEngine builds an engine whose answers and rules believe it is day,
// logging to a fresh database in t.TempDir(). configure, if given, changes
// the engine's settings before it is built.
func newEngine(t testing.TB, day time.Time, configure ...func(*bot.Config)) *testEngine {
	t.Helper()
	s, err := shared()
	if err != nil {
		t.Fatalf("open corpus: %v", err)
	}
	path := filepath.Join(t.TempDir(), "policybot.db")
	db, err := sqlite.Open(path, sqlite.Config{UserKey: userKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close database: %v", err)
		}
	})
	now := func() time.Time { return day }
	eval, err := answers.NewEvaluator(s.corpus, now)
	if err != nil {
		t.Fatal(err)
	}
	cfg := bot.Config{
		Answerer: answers.New(s.retriever, s.replies, now), Evaluator: eval, Dialogue: s.dialogue, Store: db,
	}
	for _, f := range configure {
		f(&cfg)
	}
	e, err := bot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &testEngine{Engine: e, db: db, path: path, cfg: cfg}
}

// send hands the engine one message of session and fails the test on an error.
func (e *testEngine) send(t testing.TB, session string, m bot.Message) *bot.Reply {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m.Session = session
	if m.Channel == "" {
		m.Channel = "web"
	}
	r, err := e.Handle(ctx, m)
	if err != nil {
		t.Fatalf("Handle(%+v): %v", m, err)
	}
	return r
}

// state is what the engine remembers of a session now.
func (e *testEngine) state(t testing.TB, session string) bot.SessionState {
	t.Helper()
	rec, err := e.db.LoadSession(context.Background(), session, 0)
	if err != nil {
		t.Fatalf("load session %s: %v", session, err)
	}
	st, err := bot.ReadState(rec.State)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// logged counts the turns the log holds for a session, read straight from
// the file the way an auditor would.
func (e *testEngine) logged(t testing.TB, session string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM turns WHERE conversation_id = ?`, session).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
