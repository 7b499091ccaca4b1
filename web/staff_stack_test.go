package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/sqlite"
	"policybot/web"
)

// The widget and console tests run the real stack: the embedded corpus,
// its index, the answers and rules, the dialogue engine and a SQLite log
// in a temporary folder, behind the real handlers.

// rigToday is the day answers and rules treat as today: within the
// notice's period, so that its measures have not yet expired.
var rigToday = time.Date(2022, 7, 1, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// rig is a running server over the real stack.
type rig struct {
	srv   *httptest.Server
	db    *sqlite.DB
	clock *apiClock
}

// rigOptions change a rig from its defaults.
type rigOptions struct {
	cors  []string
	staff func(*web.StaffConfig) // adjusts the console's settings
	today time.Time              // the day answers and rules treat as today; zero: rigToday
}

// newRig starts a server with a fresh database holding the operator
// admin, closed when the test ends.
func newRig(t testing.TB, opt rigOptions) *rig {
	t.Helper()
	clk := &apiClock{t: time.Now()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	today := rigToday
	if !opt.today.IsZero() {
		today = opt.today
	}
	engine, db := bottest.Engine(t, today, func(c *bot.Config) { c.SessionIdle, c.Log = time.Hour, log })
	if err := db.AddStaff(t.Context(), "admin", rigPassword); err != nil {
		t.Fatal(err)
	}
	staff := &web.StaffConfig{Store: db, Search: bottest.Shared(t).Retriever, Today: func() time.Time { return today }}
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
