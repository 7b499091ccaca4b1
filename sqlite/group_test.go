package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/store/storetest"
)

// openGroupDB opens a fresh database with the given group commit bounds.
func openGroupDB(t *testing.T, g GroupCommit) *DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "policybot.db"), Config{UserKey: testKey, Group: g})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// commitTogether commits n turns from n goroutines released at once and
// returns the ids acknowledged.
func commitTogether(t *testing.T, db *DB, n int) []int64 {
	t.Helper()
	ctx := storetest.Context(t)
	ids := make([]int64, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			s, tr := storetest.SampleTurn(fmt.Sprintf("together-%d", i), fmt.Sprintf("问题 %d", i))
			id, err := db.CommitTurn(ctx, s, tr)
			if err != nil {
				t.Errorf("turn %d: %v", i, err)
			}
			ids[i] = id
		})
	}
	close(start)
	wg.Wait()
	return ids
}

// Turns that arrive together are written in few transactions, every one of
// them acknowledged with its own id and found in the log afterwards.
func TestGroupCommitWritesTurnsTogether(t *testing.T) {
	db := openGroupDB(t, GroupCommit{MaxBatch: 64, MaxWait: 5 * time.Millisecond})
	const n = 32
	ids := commitTogether(t, db, n)
	seen := map[int64]bool{}
	for i, id := range ids {
		if id == 0 || seen[id] {
			t.Errorf("turn %d acknowledged with id %d", i, id)
		}
		seen[id] = true
		var in string
		if err := db.read.QueryRow(`SELECT text_in FROM turns WHERE id = ?`, id).Scan(&in); err != nil || in != fmt.Sprintf("问题 %d", i) {
			t.Errorf("turn %d (id %d) in the log as %q, %v", i, id, in, err)
		}
	}
	batches, batched := db.batches.Load(), db.batched.Load()
	if batched != n || batches >= n/2 {
		t.Errorf("%d turns in %d transactions; want all %d in fewer than %d", batched, batches, n, n/2)
	}
	t.Logf("%d turns in %d transactions", batched, batches)
}

// No transaction holds more than MaxBatch writes.
func TestGroupCommitBatchIsBounded(t *testing.T) {
	db := openGroupDB(t, GroupCommit{MaxBatch: 4, MaxWait: 5 * time.Millisecond})
	const n = 24
	commitTogether(t, db, n)
	if batches := db.batches.Load(); batches < n/4 || db.batched.Load() != n {
		t.Errorf("%d writes in %d transactions; at most 4 a transaction means at least %d", db.batched.Load(), batches, n/4)
	}
}

// A write that fails is undone alone: the others of its batch are
// committed and acknowledged, and its caller gets its error.
func TestGroupCommitFailureStaysWithItsWrite(t *testing.T) {
	db := openGroupDB(t, GroupCommit{MaxBatch: 16, MaxWait: 10 * time.Millisecond})
	ctx := storetest.Context(t)
	if err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE probes (id INTEGER PRIMARY KEY, v INTEGER)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	bad := errors.New("this write fails after writing")
	errs := make([]error, 6)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			errs[i] = db.grouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO probes (id, v) VALUES (?, ?)`, i, i); err != nil {
					return err
				}
				if i%2 == 1 {
					return bad
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		var n int
		if qerr := db.read.QueryRow(`SELECT count(*) FROM probes WHERE id = ?`, i).Scan(&n); qerr != nil {
			t.Fatal(qerr)
		}
		switch {
		case i%2 == 1 && (!errors.Is(err, bad) || n != 0):
			t.Errorf("failing write %d: error %v, %d rows kept", i, err, n)
		case i%2 == 0 && (err != nil || n != 1):
			t.Errorf("write %d: error %v, %d rows kept", i, err, n)
		}
	}
	if db.batches.Load() >= int64(len(errs)) {
		t.Errorf("%d transactions for %d writes arriving together", db.batches.Load(), len(errs))
	}
}

// A caller that has given up before its batch begins is not written.
func TestGroupCommitSkipsCallersGone(t *testing.T) {
	db := openGroupDB(t, GroupCommit{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s, tr := storetest.SampleTurn("gone", "没人等了")
	if _, err := db.CommitTurn(ctx, s, tr); !errors.Is(err, context.Canceled) {
		t.Errorf("commit with a cancelled context: %v", err)
	}
	var n int
	if err := db.read.QueryRow(`SELECT count(*) FROM turns`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d turns written, %v", n, err)
	}
}

// A write after Close is refused, not lost silently.
func TestGroupCommitAfterClose(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "policybot.db"), Config{UserKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, tr := storetest.SampleTurn("late", "关了以后")
	if _, err := db.CommitTurn(storetest.Context(t), s, tr); err == nil {
		t.Error("a turn committed after Close was acknowledged")
	}
}

// Bounds out of range are refused at Open, by name.
func TestGroupCommitBoundsChecked(t *testing.T) {
	for _, g := range []GroupCommit{{MaxBatch: MaxBatchLimit + 1}, {MaxWait: -time.Millisecond}, {MaxWait: MaxWaitLimit + time.Millisecond}} {
		_, err := Open(filepath.Join(t.TempDir(), "policybot.db"), Config{UserKey: testKey, Group: g})
		if err == nil || !strings.Contains(err.Error(), "group commit") {
			t.Errorf("Open with %+v: %v", g, err)
		}
	}
}
