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
	if _, err := db.CommitTurn(ctx, s, tr); err != nil {
		t.Fatalf("CommitTurn: %v", err)
	}
	clk.Advance(3 * time.Minute)
	s.State = []byte(`{"step":"result"}`)
	if _, err := db.CommitTurn(ctx, s, tr); err != nil {
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
	if _, err := db.CommitTurn(ctx, s, tr); err != nil {
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
