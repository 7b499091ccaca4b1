package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/sqlite"
	"policybot/web"
)

// The API tests run the real stack behind the real handlers: the embedded
// corpus and its index, answers, rules, the dialogue engine and a SQLite
// log in a temporary folder.

// apiToday is the day answers and rules treat as today, as
// POLICYBOT_TODAY=2026-11-26 sets it.
var apiToday = time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local)

// apiServer is a running server over the real stack.
type apiServer struct {
	*httptest.Server
	db     *sqlite.DB
	engine *bot.Engine
	clock  *apiClock // the server's clock (rate limit)
}

// newAPIEngine builds a dialogue engine logging to a fresh database.
func newAPIEngine(t testing.TB) (*bot.Engine, *sqlite.DB) {
	t.Helper()
	return bottest.Engine(t, apiToday, func(c *bot.Config) { c.Log = quiet })
}

func TestMain(m *testing.M) {
	code := m.Run()
	bottest.Close()
	os.Exit(code)
}

// quiet discards the server's logs; a test that wants them looks at responses.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newAPIServer starts a server; cfg's Now and Log are filled in.
func newAPIServer(t testing.TB, cfg web.Config) *apiServer {
	t.Helper()
	e, db := newAPIEngine(t)
	clk := &apiClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.Local)}
	cfg.Now, cfg.Log = clk.Now, quiet
	srv := httptest.NewServer(web.New(cfg, e).Handler())
	t.Cleanup(srv.Close)
	return &apiServer{Server: srv, db: db, engine: e, clock: clk}
}

// apiClock is a settable clock for the server's Now (rate limit, staff timeouts).
type apiClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *apiClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *apiClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// apiResponse is what a request got back.
type apiResponse struct {
	status int
	header http.Header
	body   []byte
}

// call sends a request with body (nil for none) and headers given as
// name, value pairs, and reads the whole response.
func (s *apiServer) call(t testing.TB, method, path string, body []byte, headers ...string) apiResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return apiResponse{status: res.StatusCode, header: res.Header, body: b}
}

// chat posts one chat message and decodes the reply, failing on anything
// but 200.
func (s *apiServer) chat(t testing.TB, req map[string]any) bot.Reply {
	t.Helper()
	b, _ := json.Marshal(req)
	res := s.call(t, "POST", "/api/chat", b)
	if res.status != http.StatusOK {
		t.Fatalf("POST /api/chat %s: %d %s", b, res.status, res.body)
	}
	var r bot.Reply
	if err := json.Unmarshal(res.body, &r); err != nil {
		t.Fatalf("reply is not JSON: %v\n%s", err, res.body)
	}
	return r
}

// jsonObject decodes a body that must be one JSON object.
func jsonObject(t testing.TB, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		t.Fatalf("not one JSON object (%v): %q", err, body)
	}
	return m
}

// errorOf checks a response is a JSON error with the status wanted and
// returns its message.
func errorOf(t testing.TB, res apiResponse, status int) string {
	t.Helper()
	if res.status != status {
		t.Errorf("status %d, want %d: %s", res.status, status, res.body)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	m := jsonObject(t, res.body)
	msg, _ := m["error"].(string)
	if msg == "" {
		t.Errorf("no error message in %s", res.body)
	}
	return msg
}
