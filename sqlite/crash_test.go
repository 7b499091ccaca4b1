//go:build unix

package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/bot"
)

// crashEnv, when set to a database path, turns TestHelperProcess into the
// child of TestKillDuringCommits.
const crashEnv = "POLICYBOT_SQLITE_CRASH_DB"

// TestKillDuringCommits kills, with SIGKILL, a process that is committing
// turns from several goroutines, three times over on the same file, and
// checks that every turn the child reported committed is there with its
// text and that the file is sound. The child reports a turn only after
// CommitTurn returned, as the bot sends a reply only then.
func TestKillDuringCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	path := filepath.Join(t.TempDir(), "crash.db")
	committed := map[int64]string{}
	for round := range 3 {
		for id, text := range runAndKill(ctx, t, path, 150) {
			committed[id] = text
		}
		checkCommitted(ctx, t, path, committed)
		t.Logf("round %d: %d turns reported committed so far, all present", round, len(committed))
	}
}

// runAndKill starts a child committing turns to path, reads until it has
// reported n commits, kills it, and returns what it reported.
func runAndKill(ctx context.Context, t *testing.T, path string, n int) map[int64]string {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
	}()
	got := map[int64]string{}
	for len(got) < n {
		select {
		case line, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatalf("child ended after %d commits", len(got))
			}
			id, text, ok := parseCommitted(line)
			if ok {
				got[id] = text
			}
		case <-ctx.Done():
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("timed out after %d commits", len(got))
		}
	}
	// Process.Kill sends SIGKILL on Unix: no deferred function, no Close,
	// no checkpoint runs in the child.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	for range lines { // commits reported between our last read and the kill
	}
	cmd.Wait()
	return got
}

// parseCommitted parses a child's "committed <id> <text>" line.
func parseCommitted(line string) (int64, string, bool) {
	rest, ok := strings.CutPrefix(line, "committed ")
	if !ok {
		return 0, "", false
	}
	idText, text, ok := strings.Cut(rest, " ")
	if !ok {
		return 0, "", false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return id, text, err == nil
}

// checkCommitted reopens the database and checks its integrity and that
// every reported turn is there with its text.
func checkCommitted(ctx context.Context, t *testing.T, path string, committed map[int64]string) {
	t.Helper()
	db, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatalf("reopen after kill: %v", err)
	}
	defer db.Close()
	var check string
	if err := db.read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	for id, want := range committed {
		var got string
		if err := db.read.QueryRowContext(ctx, `SELECT text_in FROM turns WHERE id = ?`, id).Scan(&got); err != nil {
			t.Errorf("turn %d (%s) reported committed, lost: %v", id, want, err)
		} else if got != want {
			t.Errorf("turn %d text = %q, want %q", id, got, want)
		}
	}
}

// TestHelperProcess is the child of TestKillDuringCommits: it commits turns
// from four goroutines until it is killed, printing each turn's id once its
// commit returned. It gives up by itself after a minute, so it cannot
// outlive a parent that failed to kill it.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("child of TestKillDuringCommits only")
	}
	db, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var mu sync.Mutex // one line per write
	var wg sync.WaitGroup
	pid := os.Getpid()
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				text := fmt.Sprintf("crash-%d-%d-%d", pid, g, i)
				s := bot.SessionRecord{ID: fmt.Sprintf("crash-%d-%d", pid, g), Channel: "cli", UserID: "tester", Version: int64(i)}
				id, err := db.CommitTurn(ctx, s, bot.Turn{In: text, Out: "ok", Status: "answered"})
				if err != nil {
					if ctx.Err() == nil {
						fmt.Fprintln(os.Stderr, "child:", err)
					}
					return
				}
				mu.Lock()
				fmt.Fprintf(os.Stdout, "committed %d %s\n", id, text)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	db.Close()
}
