package kb_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofrs/flock"

	"policybot/kb"
)

// TestSimultaneousBuilds: processes starting together on a fresh folder
// (here, four opens at once) all get an index that answers, and once they
// are closed nothing is left but the index itself and its lock file.
// Before, they shared one build folder and some failed.
func TestSimultaneousBuilds(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	data := t.TempDir()
	dir := filepath.Join(data, "index")
	c := loadReal(t)
	seg := newSegmenter(t, c)
	const n = 4
	ixs := make([]*kb.Index, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ixs[i], errs[i] = kb.OpenIndex(dir, c, kb.AnalysisWords, seg)
		}()
	}
	close(start)
	wg.Wait()
	shared := 0
	for i, ix := range ixs {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		if !strings.HasPrefix(ix.Origin, "private") {
			shared++
		}
		got, err := ix.Search(context.Background(), kb.KindClause, ix.Terms("稳岗返还"), map[string]float64{kb.FieldText: 1}, 3)
		if err != nil || len(got) == 0 || got[0].Ref.Clause != 2 {
			t.Errorf("open %d (%s): search 稳岗返还 = %v, %v", i, ix.Origin, got, err)
		}
	}
	if shared != 1 {
		t.Errorf("%d opens use the shared index, want exactly 1", shared)
	}
	for _, ix := range ixs {
		if err := ix.Close(); err != nil {
			t.Error(err)
		}
	}
	assertOnly(t, data, "index", "index.lock")
	assertOnly(t, os.Getenv("TMPDIR"))
	again, err := kb.OpenIndex(dir, c, kb.AnalysisWords, seg)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if !strings.HasPrefix(again.Origin, "reused") {
		t.Errorf("after they closed, the next open: %s, want reused", again.Origin)
	}
}

// TestOrphanedBuildsRemoved: build folders and private copies whose owner
// died (kill -9) are removed by the next open; those of a live owner stay.
func TestOrphanedBuildsRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	data := t.TempDir()
	orphan := func(parent, name string) string {
		dir := filepath.Join(parent, name)
		if err := os.MkdirAll(filepath.Join(dir, "index"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "owner.lock"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	deadBuild := orphan(data, "index.building-123")
	deadCopy := orphan(tmp, "policybot-index-456")
	liveCopy := orphan(tmp, "policybot-index-789")
	live := flock.New(filepath.Join(liveCopy, "owner.lock"))
	if ok, err := live.TryLock(); !ok || err != nil {
		t.Fatalf("lock the live copy: %v", err)
	}
	defer live.Close()
	oldStyle := filepath.Join(tmp, "policybot-index-000") // an older version's copy, no owner file
	if err := os.MkdirAll(oldStyle, 0o755); err != nil {
		t.Fatal(err)
	}
	long := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(oldStyle, long, long); err != nil {
		t.Fatal(err)
	}

	c := loadReal(t)
	ix, err := kb.OpenIndex(filepath.Join(data, "index"), c, kb.AnalysisWords, newSegmenter(t, c))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, gone := range []string{deadBuild, deadCopy, oldStyle} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s was left: %v", gone, err)
		}
	}
	if _, err := os.Stat(liveCopy); err != nil {
		t.Errorf("the live process's copy was removed: %v", err)
	}
}

// assertOnly fails unless dir holds exactly the names given.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}
