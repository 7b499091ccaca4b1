package sqlite

import (
	"errors"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store/storetest"
)

// isNotFound reports whether err says a session is missing.
func isNotFound(err error) bool { return errors.Is(err, bot.ErrSessionNotFound) }

// TestCommitTurnWithLoadedRecord checks that committing the record
// LoadSession returned, its Updated unchanged, still marks the session as
// active, so it neither idles out nor is purged while in use.
func TestCommitTurnWithLoadedRecord(t *testing.T) {
	clk := storetest.NewClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	s, tr := storetest.SampleTurn("s1", "你好")
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		clk.Advance(20 * time.Minute)
		loaded, err := db.LoadSession(ctx, "s1", 30*time.Minute)
		if err != nil {
			t.Fatalf("LoadSession: %v", err)
		}
		if _, err := commitNext(ctx, db, loaded, tr); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.LoadSession(ctx, "s1", time.Minute)
	if err != nil {
		t.Fatalf("LoadSession after the last turn: %v", err)
	}
	if !got.Updated.Equal(clk.Now()) {
		t.Errorf("Updated = %v, want the last turn's time %v", got.Updated, clk.Now())
	}

	// A commit carrying an older Updated does not move it back.
	s.Updated = clk.Now().Add(-time.Hour)
	tr.At = s.Updated
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatal(err)
	}
	if got, err := db.LoadSession(ctx, "s1", 0); err != nil || !got.Updated.Equal(clk.Now()) {
		t.Errorf("Updated after a late commit = %v, %v; want %v", got.Updated, err, clk.Now())
	}
}
