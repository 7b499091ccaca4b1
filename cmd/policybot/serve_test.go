//go:build unix

package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"policybot/bot"
	"policybot/postgres/pgtest"
	"policybot/sqlite"
)

// binDir holds the policybot binary the serve tests build once and run as
// a separate process, the way it is deployed.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "policybot-serve-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := pgtest.Main(m) // stops the PostgreSQL the instance tests may start
	os.RemoveAll(dir)
	os.Exit(code)
}

var buildBinary = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "policybot")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("build: %v\n%s", err, out)
	}
	return bin, nil
})

// server is a policybot serve process.
type server struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan error  // receives the exit once
	exited bool        // the exit was received
	addr   chan string // receives the address it listens on
}

// startServer runs policybot serve on a random port with the data folder
// and extra environment, and waits for it to say where it listens.
func startServer(t *testing.T, data string, env ...string) *server {
	t.Helper()
	s := launchServer(t, data, env...)
	s.waitListening(t)
	return s
}

// launchServer starts policybot serve without waiting for it to listen.
func launchServer(t *testing.T, data string, env ...string) *server {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", data)
	cmd.Env = append(os.Environ(), "POLICYBOT_TODAY=2026-11-26", "POLICYBOT_RATE_LIMIT=0")
	cmd.Env = append(cmd.Env, env...)
	s := &server{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1), addr: make(chan string, 1)}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.kill() })
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "policybot serving on "); ok {
				s.addr <- u
			}
		}
		io.Copy(io.Discard, out)
		s.done <- cmd.Wait()
	}()
	return s
}

// waitListening waits for the server to say where it listens.
func (s *server) waitListening(t *testing.T) {
	t.Helper()
	select {
	case s.url = <-s.addr:
	case err := <-s.done:
		s.exited = true
		t.Fatalf("serve exited before listening: %v\n%s", err, s.stderr)
	case <-time.After(90 * time.Second):
		t.Fatalf("serve did not listen within 90 s\n%s", s.stderr)
	}
}

// stop ends the server with SIGTERM and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.exited = true
		if err != nil {
			t.Fatalf("serve exited with %v\n%s", err, s.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop within 30 s of SIGTERM")
	}
}

// kill ends the server with SIGKILL, if it still runs.
func (s *server) kill() {
	if s.exited {
		return
	}
	s.cmd.Process.Kill()
	select {
	case <-s.done:
		s.exited = true
	case <-time.After(10 * time.Second):
	}
}

// chat posts a chat message and returns the reply; any status but 200
// fails the test.
func (s *server) chat(t *testing.T, msg map[string]any) bot.Reply {
	t.Helper()
	r, err := s.post(msg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var httpClient = &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

func (s *server) post(msg map[string]any) (bot.Reply, error) {
	body, _ := json.Marshal(msg)
	res, err := httpClient.Post(s.url+"/api/chat", "application/json", bytes.NewReader(body))
	if err != nil {
		return bot.Reply{}, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return bot.Reply{}, err
	}
	var r bot.Reply
	if res.StatusCode != http.StatusOK {
		return r, fmt.Errorf("POST /api/chat %s: %d %s", body, res.StatusCode, data)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("POST /api/chat %s: %v: %s", body, err, data)
	}
	return r, nil
}

// A conversation goes on where it was after the server restarts: the
// session's state is in SQLite, not in the process.
func TestSessionSurvivesRestart(t *testing.T) {
	data := t.TempDir()
	s := startServer(t, data)
	r := s.chat(t, map[string]any{"text": "我们公司今年招了三个应届生"})
	session := r.Session
	if r.Question == nil || len(r.Question.Options) < 2 {
		t.Fatalf("first reply: %+v", r)
	}
	asked := []string{"role", "graduates_hired", r.Question.Fact}
	r = s.chat(t, map[string]any{"session": session, "option": r.Question.Options[0].Value})
	if r.Question == nil || slices.Contains(asked, r.Question.Fact) {
		t.Fatalf("second reply: %+v", r)
	}
	asked = append(asked, r.Question.Fact)
	button := r.Question.Options[0].Value // of the question pending when the server stops
	s.stop(t)

	s = startServer(t, data)
	r = s.chat(t, map[string]any{"session": session, "option": button})
	if r.Session != session || r.Status != bot.StatusAsking || r.Question == nil {
		t.Fatalf("after the restart: %+v", r)
	}
	if f := r.Question.Fact; slices.Contains(asked, f) {
		t.Errorf("after the restart it asks %s, which the session had settled (%v)", f, asked)
	}
	s.stop(t)
}

// A session idle longer than POLICYBOT_SESSION_IDLE starts afresh: the old
// id is replaced and nothing of it is remembered.
func TestSessionsExpire(t *testing.T) {
	s := startServer(t, t.TempDir(), "POLICYBOT_SESSION_IDLE=1s")
	r := s.chat(t, map[string]any{"text": "我们公司今年招了三个应届生"})
	old := r.Session
	if r2 := s.chat(t, map[string]any{"session": old, "option": "small"}); r2.Session != old {
		t.Fatalf("within the idle time the session changed: %+v", r2)
	}
	time.Sleep(1500 * time.Millisecond)
	r = s.chat(t, map[string]any{"session": old, "text": "都满半年了"})
	if r.Session == old || !bot.ValidSessionID(r.Session) {
		t.Errorf("an expired session went on: %s", r.Session)
	}
	for _, k := range []string{"graduates_hired", "enterprise_size"} {
		if v, ok := r.Facts[k]; ok {
			t.Errorf("the fresh session remembers the old one: %s = %v", k, v)
		}
	}
	s.stop(t)
}

// A malformed POLICYBOT_SESSION_IDLE stops serve with a usage error.
func TestSessionIdleSetting(t *testing.T) {
	bin, err := buildBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir())
	cmd.Env = append(os.Environ(), "POLICYBOT_SESSION_IDLE=soon")
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "POLICYBOT_SESSION_IDLE") {
		t.Errorf("exit %v: %s", err, out)
	}
}

// answered is a reply a client received: its turn must be in the log.
type answered struct {
	session string
	turn    int64
	status  string
	reply   string
}

// TestKillNineLosesNoAnsweredTurn runs the server under load from eight
// clients, kills it with SIGKILL mid-load, three times, and checks that every
// turn a client received a reply for is in the log, with its session,
// status and text, and that the file is sound. A reply is sent only after
// its turn is committed (synchronous=FULL), so none may be missing.
func TestKillNineLosesNoAnsweredTurn(t *testing.T) {
	data := t.TempDir()
	var got []answered
	for round := range 3 {
		s := startServer(t, data)
		replies, cut := load(t, s, 8, 400)
		got = append(got, replies...)
		t.Logf("round %d: %d replies received, %d requests cut off by SIGKILL", round+1, len(replies), cut)
	}
	key, err := os.ReadFile(filepath.Join(data, "log.key"))
	if err != nil {
		t.Fatal(err)
	}
	userKey, err := hex.DecodeString(strings.TrimSpace(string(key)))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(data, "policybot.db")
	db, err := sqlite.Open(path, sqlite.Config{UserKey: userKey}) // recovers the WAL as the server would
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ro, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	var check string
	if err := ro.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity check: %q %v", check, err)
	}
	for _, a := range got {
		var session, status, out string
		err := ro.QueryRow(`SELECT conversation_id, status, text_out FROM turns WHERE id = ?`, a.turn).Scan(&session, &status, &out)
		if err != nil {
			t.Errorf("turn %d of session %s, answered, is not in the log: %v", a.turn, a.session, err)
			continue
		}
		if session != a.session || status != a.status || out != a.reply {
			t.Errorf("turn %d logged as %s %s %q; answered as %s %s %q", a.turn, session, status, out, a.session, a.status, a.reply)
		}
	}
	// The server starts again on the same folder and goes on.
	s := startServer(t, data)
	if r := s.chat(t, map[string]any{"session": got[len(got)-1].session, "text": "不知道"}); !bot.ValidSessionID(r.Session) {
		t.Errorf("after the kills: %+v", r)
	}
	s.stop(t)
}

// load sends dialogues from clients goroutines until at least n replies
// arrived, then kills the server with SIGKILL while requests are in flight,
// and returns every reply received and how many requests got none.
func load(t *testing.T, s *server, clients, n int) ([]answered, int) {
	t.Helper()
	msgs := []map[string]any{
		{"text": "我们公司今年招了三个应届生，有什么补贴？"}, {"option": "small"}, {"text": "都满半年了"},
		{"text": "我们一共二十个人"}, {"option": "skip"}, {"text": "灵活就业社保补贴怎么算？"},
	}
	var (
		mu   sync.Mutex
		got  []answered
		cut  int
		wg   sync.WaitGroup
		stop = make(chan struct{})
	)
	enough := make(chan struct{})
	var once sync.Once
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			session, step := "", 0
			for {
				select {
				case <-stop:
					return
				default:
				}
				msg := map[string]any{"session": session}
				for k, v := range msgs[step] {
					msg[k] = v
				}
				r, err := s.post(msg)
				if err != nil { // the server is gone
					mu.Lock()
					cut++
					mu.Unlock()
					return
				}
				mu.Lock()
				got = append(got, answered{r.Session, r.Turn, string(r.Status), r.Reply})
				if len(got) >= n {
					once.Do(func() { close(enough) })
				}
				mu.Unlock()
				session, step = r.Session, (step+1)%len(msgs)
			}
		}()
	}
	select {
	case <-enough:
	case <-time.After(60 * time.Second):
		t.Errorf("only %d replies within 60 s", len(got))
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
		s.exited = true
	case <-time.After(10 * time.Second):
		t.Fatal("the killed server did not exit")
	}
	close(stop)
	waitTimeout(t, &wg, 30*time.Second)
	mu.Lock()
	defer mu.Unlock()
	return append([]answered(nil), got...), cut
}

func waitTimeout(t *testing.T, wg *sync.WaitGroup, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatal("clients did not finish")
	}
}

// syncBuffer is a bytes.Buffer safe for a process to write while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestShutdownDrainIsBounded: a client trickling its body holds a request
// open; SIGTERM still ends the server once POLICYBOT_SHUTDOWN_DRAIN is up,
// with exit status 0. Before, it waited 15 s and exited 1.
func TestShutdownDrainIsBounded(t *testing.T) {
	s := startServer(t, t.TempDir(), "POLICYBOT_SHUTDOWN_DRAIN=1s")
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"text\": \"")
	stopTrickle := make(chan struct{})
	defer close(stopTrickle)
	go func() {
		for {
			select {
			case <-stopTrickle:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn.Write([]byte("补")); err != nil {
					return
				}
			}
		}
	}()
	time.Sleep(300 * time.Millisecond) // the request is being read
	start := time.Now()
	s.stop(t) // fails on a non-zero exit
	if took := time.Since(start); took > 8*time.Second {
		t.Errorf("shutdown took %v with a 1 s drain", took)
	}
	if !strings.Contains(s.stderr.String(), "cut off") {
		t.Errorf("the server log does not say a request was cut off:\n%s", s.stderr)
	}
}
