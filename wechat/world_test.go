package wechat

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/sqlite"
)

func TestMain(m *testing.M) {
	code := m.Run()
	bottest.Close()
	os.Exit(code)
}

// testContext ends with the test or after limit, so no test can hang.
func testContext(t testing.TB, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}

// world is a real engine and SQLite file, the channel served over HTTP on
// the loopback, and WeChat's server speaking to it.
type world struct {
	t      testing.TB
	path   string
	db     *sqlite.DB
	engine *bot.Engine
	ch     *Channel
	reg    *prometheus.Registry
	srv    *httptest.Server
	wx     *platform
}

// newWorld serves a channel in plain mode, or in safe mode with an
// EncodingAESKey.
func newWorld(t testing.TB, safe bool) *world {
	w := &world{t: t, path: filepath.Join(t.TempDir(), "policybot.db")}
	w.openDB()
	w.serve(w.engine, func(c *Config) {
		if safe {
			c.EncodingAESKey, c.AppID = testAESKey, testAppID
		}
	})
	return w
}

// openDB opens the database and builds the engine over it.
func (w *world) openDB() {
	w.t.Helper()
	w.db = bottest.OpenDB(w.t, w.path)
	cfg := bottest.Config(w.t, bottest.Today, w.db)
	cfg.Log = quietLog()
	e, err := bot.New(cfg)
	if err != nil {
		w.t.Fatal(err)
	}
	w.engine = e
}

// serve builds a channel on the engine, its config changed by configure,
// and serves it at its path until the test ends.
func (w *world) serve(e Engine, configure ...func(*Config)) {
	w.t.Helper()
	// A retry of a message claimed elsewhere gives up soon, so tests of
	// one left unanswered are quick.
	cfg := Config{Token: testToken, Log: quietLog(), RetryWait: 100 * time.Millisecond}
	for _, f := range configure {
		f(&cfg)
	}
	ch, err := New(cfg, e, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	w.ch, w.reg = ch, prometheus.NewRegistry()
	for _, c := range ch.Collectors() {
		w.reg.MustRegister(c)
	}
	mux := http.NewServeMux()
	mux.Handle(ch.Path(), ch)
	if w.srv != nil {
		w.srv.Close()
	}
	w.srv = httptest.NewServer(mux)
	w.t.Cleanup(w.srv.Close)
	w.wx = &platform{
		t: w.t, url: w.srv.URL + ch.Path(), token: cfg.Token, aesKey: cfg.EncodingAESKey, appID: cfg.AppID,
		account: testAccount,
		// WeChat waits 5 seconds for a reply, then hangs up.
		client: &http.Client{Timeout: 5 * time.Second},
	}
}

// restart closes the database and opens it again, with a new engine and
// channel: a restart of the process.
func (w *world) restart(configure ...func(*Config)) {
	w.t.Helper()
	if err := w.db.Close(); err != nil {
		w.t.Fatal(err)
	}
	w.openDB()
	w.serve(w.engine, configure...)
}

// says posts a text message from openID with a new MsgId and returns the
// reply's text.
func (w *world) says(ctx context.Context, openID, text string) string {
	w.t.Helper()
	return w.wx.send(ctx, openID, textXML(openID, nextMsgID(), text))
}

// metric is the value of a counter the channel exports.
func (w *world) metric(name string, labels ...string) float64 {
	w.t.Helper()
	families, err := w.reg.Gather()
	if err != nil {
		w.t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func hasLabels(m *dto.Metric, kv []string) bool {
	for i := 0; i+1 < len(kv); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == kv[i] && l.GetValue() == kv[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// loggedTurn is a turn as the log keeps it.
type loggedTurn struct {
	conversation, channel, userHash, in, out, status string
}

// logged lists every turn in the log, oldest first, read from the file as
// an auditor would.
func (w *world) logged() []loggedTurn {
	w.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+w.path+"?mode=ro")
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT c.id, c.channel, c.user_hash, t.text_in, t.text_out, t.status
		FROM turns t JOIN conversations c ON c.id = t.conversation_id ORDER BY t.id`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []loggedTurn
	for rows.Next() {
		var l loggedTurn
		if err := rows.Scan(&l.conversation, &l.channel, &l.userHash, &l.in, &l.out, &l.status); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		w.t.Fatal(err)
	}
	return out
}

// userHash is how the log keeps an OpenID: as every channel's user ids.
func userHash(openID string) string {
	mac := hmac.New(sha256.New, bottest.UserKey)
	mac.Write([]byte("wechat:" + openID))
	return hex.EncodeToString(mac.Sum(nil))
}

func quietLog() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// OpenIDs of followers: 28 characters, as WeChat's are.
const (
	wang  = "oWang_7Kx2mQ9pL4sT8vB1nC5dE0"
	zhang = "oZhang3Fh6jR2wY9uI4oP7aS1gD5"
	alice = "oAlice8Nm3bV6cX1zL9kJ4hG7fT2"
)
