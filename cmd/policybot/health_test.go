//go:build linux

package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// healthz returns /healthz's status and body.
func (s *server) healthz(t *testing.T) (int, string) {
	t.Helper()
	res, err := httpClient.Get(s.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// wantUnhealthy checks that /healthz answers 503 with the plain message,
// none of SQLite's words.
func wantUnhealthy(t *testing.T, s *server) {
	t.Helper()
	code, body := s.healthz(t)
	if code != http.StatusServiceUnavailable {
		t.Fatalf("/healthz = %d %s, want 503", code, body)
	}
	for _, leak := range []string{"sqlite", "disk", "database or", "I/O", "no such file", ".db"} {
		if strings.Contains(body, leak) {
			t.Errorf("/healthz body %s carries %q: the cause belongs in the server log", body, leak)
		}
	}
}

// TestHealthWhenWritesFail: with the disk full (here: the process may not
// write past the first byte of any file, RLIMIT_FSIZE, which fails writes
// as a full disk does), /healthz answers 503 and says so loudly in the log;
// when writes work again it answers 200 and turns are answered again.
// Before, it answered ok while every chat got 500.
func TestHealthWhenWritesFail(t *testing.T) {
	s := startServer(t, t.TempDir())
	if code, body := s.healthz(t); code != http.StatusOK {
		t.Fatalf("/healthz at start = %d %s", code, body)
	}
	pid := s.cmd.Process.Pid
	var old unix.Rlimit
	if err := unix.Prlimit(pid, unix.RLIMIT_FSIZE, nil, &old); err != nil {
		t.Fatal(err)
	}
	full := unix.Rlimit{Cur: 1, Max: old.Max}
	if err := unix.Prlimit(pid, unix.RLIMIT_FSIZE, &full, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.post(map[string]any{"text": "创业担保贷款最多能贷多少"}); err == nil {
		t.Error("a chat turn was answered while nothing could be written")
	}
	wantUnhealthy(t, s)
	if !s.logSays("UNHEALTHY") {
		t.Errorf("the server log does not say it is unhealthy:\n%s", s.stderr)
	}
	if err := unix.Prlimit(pid, unix.RLIMIT_FSIZE, &old, nil); err != nil {
		t.Fatal(err)
	}
	if code, body := s.healthz(t); code != http.StatusOK {
		t.Fatalf("/healthz once writes work again = %d %s, want 200", code, body)
	}
	s.chat(t, map[string]any{"text": "创业担保贷款最多能贷多少"})
	if !s.logSays("healthy again") {
		t.Errorf("the server log does not say it recovered:\n%s", s.stderr)
	}
	s.stop(t)
}

// TestHealthWhenFilesRemoved: a cleaner removes the database files under
// the running server. /healthz answers 503 and chat turns fail rather than
// be answered and lost. Before, every turn answered 200 and was gone at the
// next start.
func TestHealthWhenFilesRemoved(t *testing.T) {
	for _, files := range [][]string{{"policybot.db", "policybot.db-wal", "policybot.db-shm"}, {"policybot.db-wal"}} {
		t.Run(strings.Join(files, "+"), func(t *testing.T) {
			data := t.TempDir()
			s := startServer(t, data)
			s.chat(t, map[string]any{"text": "创业担保贷款最多能贷多少"})
			for _, f := range files {
				if err := os.Remove(filepath.Join(data, f)); err != nil {
					t.Fatal(err)
				}
			}
			wantUnhealthy(t, s)
			for range 3 {
				if r, err := s.post(map[string]any{"text": "创业担保贷款最多能贷多少"}); err == nil {
					t.Fatalf("a turn was answered into a removed file: %+v", r)
				}
			}
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(s.stderr.String(), "removed or replaced") && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if !strings.Contains(s.stderr.String(), "removed or replaced") {
				t.Errorf("the server log does not say the files went:\n%s", s.stderr)
			}
			s.stop(t)
		})
	}
}

// logSays reports whether the server's log says text within a few
// seconds: the log reaches the test through a pipe, after the response.
func (s *server) logSays(text string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(s.stderr.String(), text) {
			return true
		}
	}
	return false
}
