package sqlite

import (
	"errors"
	"os"
	"testing"

	"policybot/bot"
	"policybot/store/storetest"
)

// TestCheck: a database that takes writes passes, and each probe is a
// commit (the row changes).
func TestCheck(t *testing.T) {
	clk := storetest.NewClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	if err := db.Check(ctx); err != nil {
		t.Fatalf("Check on a fresh database: %v", err)
	}
	var probe int64
	if err := db.read.QueryRowContext(ctx, `SELECT probe FROM health WHERE id = 1`).Scan(&probe); err != nil || probe != millis(clk.Now()) {
		t.Fatalf("the probe row holds %d (%v), want the time of the probe %d", probe, err, millis(clk.Now()))
	}
}

// TestWritesRefusedWhenFilesGone: when the database file, its WAL or its
// shared memory is removed or replaced under a running server, every write
// fails (so no reply is sent for a turn that would be lost) and Check says
// why. Before, all turns were answered and gone at the next start.
func TestWritesRefusedWhenFilesGone(t *testing.T) {
	for _, c := range []struct {
		name string
		harm func(path string) error
	}{
		{"database removed", func(p string) error { return os.Remove(p) }},
		{"WAL removed", func(p string) error { return os.Remove(p + "-wal") }},
		{"shared memory removed", func(p string) error { return os.Remove(p + "-shm") }},
		{"database replaced", func(p string) error {
			if err := os.WriteFile(p+".new", []byte("not a database"), 0o644); err != nil {
				return err
			}
			return os.Rename(p+".new", p)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, path := openTestDB(t, nil)
			ctx := storetest.Context(t)
			s := bot.SessionRecord{ID: "s1", Channel: "web"}
			if _, err := db.CommitTurn(ctx, s, bot.Turn{In: "一", Out: "二", Status: "answered"}); err != nil {
				t.Fatal(err)
			}
			if err := c.harm(path); err != nil {
				t.Fatal(err)
			}
			if err := db.Check(ctx); !errors.Is(err, ErrFileGone) {
				t.Errorf("Check = %v, want ErrFileGone", err)
			}
			if _, err := db.CommitTurn(ctx, s, bot.Turn{In: "三", Out: "四", Status: "answered"}); !errors.Is(err, ErrFileGone) {
				t.Errorf("CommitTurn after the harm = %v, want ErrFileGone", err)
			}
		})
	}
}
