package sqlite

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"policybot/bot"
	"policybot/staff"
	"policybot/store/storetest"
)

// TestPurge checks that old conversations go with everything hanging off
// them, that recent ones stay, that their text leaves the files, and that
// turn ids are not reused afterwards.
func TestPurge(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)

	// Three old conversations, each with a distinctive text, a verdict and
	// feedback; then one recent.
	var lastID int64
	for i := range 3 {
		s, tr := storetest.SampleTurn(fmt.Sprintf("old-%d", i), fmt.Sprintf("old-text-%d-to-be-purged", i))
		tr.Results = []bot.Verdict{{Benefit: "补贴", Doc: "cq-2022", Clause: 3, Status: "eligible", Amount: "2000元"}}
		id, err := commitNext(ctx, db, s, tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RecordFeedback(ctx, s.ID, id, true); err != nil {
			t.Fatal(err)
		}
		lastID = id
		clk.Advance(time.Hour)
	}
	cutoff := clk.Now()
	clk.Advance(24 * time.Hour)
	s, tr := storetest.SampleTurn("recent", "recent-text-kept")
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatal(err)
	}

	n, err := db.Purge(ctx, cutoff)
	if err != nil {
		t.Fatalf("Purge: %v", err)
	}
	if n != 3 {
		t.Errorf("Purge = %d, want 3", n)
	}
	var convs, turns, results, feedback int
	if err := db.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM conversations), (SELECT count(*) FROM turns),
		(SELECT count(*) FROM results), (SELECT count(*) FROM feedback)`,
	).Scan(&convs, &turns, &results, &feedback); err != nil {
		t.Fatal(err)
	}
	if convs != 1 || turns != 1 || results != 0 || feedback != 0 {
		t.Errorf("after purge: %d conversations, %d turns, %d results, %d feedback; want 1, 1, 0, 0", convs, turns, results, feedback)
	}
	if _, err := db.LoadSession(ctx, "recent", 0); err != nil {
		t.Errorf("recent session lost: %v", err)
	}
	if n, err := db.Purge(ctx, cutoff); err != nil || n != 0 {
		t.Errorf("second Purge = %d, %v; want 0, nil", n, err)
	}

	// secure_delete zeroed the freed pages; the checkpoint emptied the WAL.
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(path + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("to-be-purged")) {
			t.Errorf("purged text still in %s", path+suffix)
		}
	}

	// Ids keep growing, so stale feedback cannot land on a new turn.
	if err := db.RecordFeedback(ctx, "old-2", lastID, true); err == nil {
		t.Error("feedback on a purged turn was accepted")
	}
	// Purge everything, so that without AUTOINCREMENT SQLite would start
	// the ids again from 1.
	s, tr = storetest.SampleTurn("recent", "another")
	id, err := commitNext(ctx, db, s, tr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Purge(ctx, clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	next, err := commitNext(ctx, db, s, tr)
	if err != nil {
		t.Fatal(err)
	}
	if next <= id {
		t.Errorf("turn id %d after purging all reuses an id up to %d", next, id)
	}
}

// TestPurgeLogins: sign-in records (names, addresses) go with the retention too.
func TestPurgeLogins(t *testing.T) {
	clk := storetest.NewClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	for _, name := range []string{"old-operator", "admin"} {
		if err := db.AddStaff(ctx, name, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	old := staff.Login{At: clk.Now(), Name: "old-operator", Addr: "10.0.0.1", Outcome: staff.LoginFailed}
	if err := db.RecordLogin(ctx, old); err != nil {
		t.Fatal(err)
	}
	clk.Advance(48 * time.Hour)
	recent := staff.Login{At: clk.Now(), Name: "admin", Addr: "10.0.0.2", Outcome: staff.LoginOK}
	if err := db.RecordLogin(ctx, recent); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Purge(ctx, clk.Now().Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	logins, err := db.RecentLogins(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 1 || logins[0].Name != "admin" {
		t.Errorf("sign-ins after purge: %+v", logins)
	}
}
