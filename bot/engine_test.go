package bot_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/sqlite"
)

// today is the day the engine's answers and rules believe it is.
var today = bottest.Today

func TestMain(m *testing.M) {
	code := m.Run()
	bottest.Close()
	os.Exit(code)
}

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
	path := filepath.Join(t.TempDir(), "policybot.db")
	db := bottest.OpenDB(t, path)
	cfg := bottest.Config(t, day, db)
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
