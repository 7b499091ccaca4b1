package sqlite

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store/storetest"
)

// testKey is a user key of the minimum length.
var testKey = bytes.Repeat([]byte{0x5a}, MinUserKeyLen)

// openTestDB opens a fresh database in a temporary directory, closed when the
// test ends.
func openTestDB(t testing.TB, now func() time.Time) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policybot.db")
	db, err := Open(path, Config{UserKey: testKey, Now: now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db, path
}

// TestOpenRejectsShortKey checks that a key too short to protect user ids
// is refused.
func TestOpenRejectsShortKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if _, err := Open(path, Config{UserKey: []byte("short")}); err == nil {
		t.Fatal("Open with a 5-byte key succeeded")
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("Open with a bad key created the file")
	}
}

// TestOpenSetsPragmas checks that the DSN options took effect: the driver
// silently lowers synchronous with WAL unless told otherwise.
func TestOpenSetsPragmas(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx := storetest.Context(t)
	want := map[string]string{
		"journal_mode":  "wal",
		"synchronous":   "2", // FULL
		"foreign_keys":  "1",
		"secure_delete": "1",
		"busy_timeout":  "10000",
	}
	for name, w := range want {
		var got string
		if err := db.write.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s: %v", name, err)
		}
		if got != w {
			t.Errorf("writer PRAGMA %s = %s, want %s", name, got, w)
		}
	}
	var queryOnly string
	if err := db.read.QueryRowContext(ctx, "PRAGMA query_only").Scan(&queryOnly); err != nil {
		t.Fatalf("PRAGMA query_only: %v", err)
	}
	if queryOnly != "1" {
		t.Errorf("reader PRAGMA query_only = %s, want 1", queryOnly)
	}
	if _, err := db.read.ExecContext(ctx, `DELETE FROM conversations`); err == nil {
		t.Error("a write through the read pool succeeded")
	}
}

// TestMigrationsAppliedOnce checks that reopening a database does not apply
// its migrations again and keeps its data.
func TestMigrationsAppliedOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policybot.db")
	ctx := storetest.Context(t)
	files, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded migrations: %v", err)
	}
	var turnID int64
	for round := range 3 {
		db, err := Open(path, Config{UserKey: testKey})
		if err != nil {
			t.Fatalf("Open round %d: %v", round, err)
		}
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
			t.Fatalf("count migrations: %v", err)
		}
		if n != len(files) {
			t.Errorf("round %d: %d migrations recorded, want %d", round, n, len(files))
		}
		if round == 0 {
			s, tr := storetest.SampleTurn("s1", "你好")
			if turnID, err = db.CommitTurn(ctx, s, tr); err != nil {
				t.Fatalf("CommitTurn: %v", err)
			}
		}
		var in string
		if err := db.read.QueryRowContext(ctx, `SELECT text_in FROM turns WHERE id = ?`, turnID).Scan(&in); err != nil {
			t.Errorf("round %d: turn %d lost: %v", round, turnID, err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
}

// TestOpenOddPath checks that a path with URI-special characters is opened
// as a file name, not parsed as options.
func TestOpenOddPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a dir?mode=memory#x%20")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "log.db")
	db, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer db.Close()
	s, tr := storetest.SampleTurn("s1", "你好")
	if _, err := db.CommitTurn(storetest.Context(t), s, tr); err != nil {
		t.Fatalf("CommitTurn: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("database not at %q: %v", path, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) == 0 || !strings.HasPrefix(entries[0].Name(), "log.db") {
		t.Errorf("unexpected files in %q: %v", dir, entries)
	}
}

// TestOpenConcurrently opens one new file from several goroutines at once,
// as when two processes start together: all must succeed and the schema be
// applied once.
func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policybot.db")
	const n = 4
	dbs := make([]*DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = Open(path, Config{UserKey: testKey}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
			continue
		}
		defer dbs[i].Close()
	}
	if t.Failed() {
		return
	}
	var rows, names int
	if err := dbs[0].read.QueryRowContext(storetest.Context(t),
		`SELECT count(*), count(DISTINCT name) FROM schema_migrations`).Scan(&rows, &names); err != nil {
		t.Fatal(err)
	}
	if rows != names {
		t.Errorf("%d migration records for %d migrations", rows, names)
	}
}

// commitNext commits a turn of s at whatever version s is stored at, for
// tests of other things than the version check (TestCommitTurnVersion).
func commitNext(ctx context.Context, db *DB, s bot.SessionRecord, t bot.Turn) (int64, error) {
	if cur, err := db.LoadSession(ctx, s.ID, 0); err == nil {
		s.Version = cur.Version
	}
	return db.CommitTurn(ctx, s, t)
}
