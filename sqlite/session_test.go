package sqlite

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"policybot/bot"
)

// TestLoadSession checks that a committed session comes back as saved, its
// user id withheld.
func TestLoadSession(t *testing.T) {
	clk := newClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := testContext(t)

	started := clk.Now()
	s, tr := sampleTurn("s1", "高校毕业生有什么补贴？")
	s.Started = started
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatalf("CommitTurn: %v", err)
	}
	clk.Advance(3 * time.Minute)
	s.State = []byte(`{"step":"result"}`)
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatalf("CommitTurn: %v", err)
	}

	got, err := db.LoadSession(ctx, "s1", 30*time.Minute)
	if err != nil {
		t.Fatalf("LoadSession: %v", err)
	}
	if got.ID != "s1" || got.Channel != "web" || got.UserID != "" {
		t.Errorf("LoadSession = %+v, want id s1, channel web, no user id", got)
	}
	if !got.Started.Equal(started) || !got.Updated.Equal(clk.Now()) {
		t.Errorf("Started, Updated = %v, %v; want %v, %v", got.Started, got.Updated, started, clk.Now())
	}
	if !bytes.Equal(got.State, []byte(`{"step":"result"}`)) {
		t.Errorf("State = %s, want the last one saved", got.State)
	}
}

// TestLoadSessionNotFound checks both ways a session can be missing.
func TestLoadSessionNotFound(t *testing.T) {
	clk := newClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := testContext(t)
	s, tr := sampleTurn("s1", "你好")
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatalf("CommitTurn: %v", err)
	}

	if _, err := db.LoadSession(ctx, "nope", time.Hour); !errors.Is(err, bot.ErrSessionNotFound) {
		t.Errorf("LoadSession(unknown) error = %v, want ErrSessionNotFound", err)
	}

	clk.Advance(30 * time.Minute)
	if _, err := db.LoadSession(ctx, "s1", 30*time.Minute); err != nil {
		t.Errorf("LoadSession at exactly maxIdle: %v", err)
	}
	clk.Advance(time.Millisecond)
	if _, err := db.LoadSession(ctx, "s1", 30*time.Minute); !errors.Is(err, bot.ErrSessionNotFound) {
		t.Errorf("LoadSession(idle) error = %v, want ErrSessionNotFound", err)
	}
	if _, err := db.LoadSession(ctx, "s1", 0); err != nil {
		t.Errorf("LoadSession with no idle limit: %v", err)
	}
}

// isNotFound reports whether err says a session is missing.
func isNotFound(err error) bool { return errors.Is(err, bot.ErrSessionNotFound) }

// TestCommitTurnWithLoadedRecord checks that committing the record
// LoadSession returned, its Updated unchanged, still marks the session as
// active, so it neither idles out nor is purged while in use.
func TestCommitTurnWithLoadedRecord(t *testing.T) {
	clk := newClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := testContext(t)
	s, tr := sampleTurn("s1", "你好")
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
