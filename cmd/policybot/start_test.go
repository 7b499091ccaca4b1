//go:build unix

package main

import (
	"os"
	"path/filepath"
	"testing"
)

// leftovers lists the build folders and private index copies in dirs.
func leftovers(t *testing.T, dirs ...string) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"*.building-*", "policybot-index-*"} {
		for _, d := range dirs {
			m, err := filepath.Glob(filepath.Join(d, pattern))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, m...)
		}
	}
	return out
}

// TestTwoServersStartTogether: two serve processes started at the same
// moment on a fresh data folder both serve, and leave nothing behind when
// they stop. Before, they shared one build folder and both failed in some
// runs.
func TestTwoServersStartTogether(t *testing.T) {
	for round := range 2 {
		data, tmp := t.TempDir(), t.TempDir()
		a := launchServer(t, data, "TMPDIR="+tmp)
		b := launchServer(t, data, "TMPDIR="+tmp)
		a.waitListening(t)
		b.waitListening(t)
		for _, s := range []*server{a, b} {
			if r := s.chat(t, map[string]any{"text": "创业担保贷款最多能贷多少"}); len(r.Citations) == 0 || r.Citations[0].Clause != 4 {
				t.Errorf("round %d: the answer cites %+v, want clause 4 first", round, r.Citations)
			}
		}
		a.stop(t)
		b.stop(t)
		if left := leftovers(t, data, filepath.Join(data, "index"), tmp); len(left) > 0 {
			t.Errorf("round %d: left behind: %v", round, left)
		}
	}
}

// TestPrivateCopyOfKilledServerRemoved: a server that found the index in
// use serves from a private copy; killed with SIGKILL it cannot remove it,
// so the next server to start does.
func TestPrivateCopyOfKilledServerRemoved(t *testing.T) {
	data, tmp := t.TempDir(), t.TempDir()
	first := startServer(t, data, "TMPDIR="+tmp)
	second := startServer(t, data, "TMPDIR="+tmp)
	copies, _ := filepath.Glob(filepath.Join(tmp, "policybot-index-*"))
	if len(copies) != 1 {
		t.Fatalf("private copies while two servers run: %v, want one", copies)
	}
	second.kill()
	if _, err := os.Stat(copies[0]); err != nil {
		t.Fatalf("the killed server's copy is already gone: %v", err)
	}
	first.stop(t)
	third := startServer(t, data, "TMPDIR="+tmp)
	if _, err := os.Stat(copies[0]); !os.IsNotExist(err) {
		t.Errorf("the killed server's private copy %s is still there", copies[0])
	}
	third.stop(t)
}
