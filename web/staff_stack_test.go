package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
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
	"policybot/web"
)

// The widget and console tests run the real stack: the embedded corpus,
// its index, the answers and rules, the dialogue engine and a SQLite log
// in a temporary folder, behind the real handlers.

// rigToday is the day answers and rules treat as today: within the
// notice's period, so that its measures have not yet expired.
var rigToday = time.Date(2022, 7, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// rigShared is the read-only part of the stack, built once per test
// binary: loading the segmenter and indexing take seconds.
var rigShared = sync.OnceValues(func() (*rigParts, error) {
	fsys, err := corpus.Open("")
	if err != nil {
		return nil, err
	}
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
	today := func() time.Time { return rigToday }
	eval, err := answers.NewEvaluator(c, today)
	if err != nil {
		return nil, err
	}
	dlg, err := bot.LoadDialogue(fsys)
	if err != nil {
		return nil, err
	}
	return &rigParts{retriever: r, answerer: answers.New(r, replies, today), eval: eval, dialogue: dlg}, nil
})

type rigParts struct {
	retriever *retrieval.Retriever
	answerer  *answers.Answerer
	eval      *answers.Evaluator
	dialogue  *bot.Dialogue
}

// rig is a running server over the real stack.
type rig struct {
	srv   *httptest.Server
	db    *sqlite.DB
	clock *rigClock
}

// rigOptions change a rig from its defaults.
type rigOptions struct {
	cors  []string
	staff func(*web.StaffConfig) // adjusts the console's settings
}

// newRig starts a server with a fresh database holding the operator
// admin, closed when the test ends.
func newRig(t testing.TB, opt rigOptions) *rig {
	t.Helper()
	parts, err := rigShared()
	if err != nil {
		t.Fatalf("build the stack: %v", err)
	}
	clk := &rigClock{t: time.Now()}
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "policybot.db"), sqlite.Config{UserKey: make([]byte, sqlite.MinUserKeyLen)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.AddStaff(t.Context(), "admin", rigPassword); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine, err := bot.New(bot.Config{
		Answerer: parts.answerer, Evaluator: parts.eval, Dialogue: parts.dialogue, Store: db,
		Now: time.Now, SessionIdle: time.Hour, Log: log,
	})
	if err != nil {
		t.Fatal(err)
	}
	staff := &web.StaffConfig{Store: db, Search: parts.retriever}
	if opt.staff != nil {
		opt.staff(staff)
	}
	s := web.New(web.Config{CORSOrigins: opt.cors, Now: clk.Now, Log: log, Staff: staff}, engine)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &rig{srv: srv, db: db, clock: clk}
}

// rigPassword is the password of the rig's operator admin.
const rigPassword = "热线值班-2022-test"

// rigClock is a settable clock for the server's Now.
type rigClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *rigClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *rigClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
