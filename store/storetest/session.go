package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"policybot/bot"
)

func testLoadSession(t *testing.T, open Opener) {
	clk := NewClock()
	db := mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	started := clk.Now()
	s, tr := SampleTurn("s1", "高校毕业生有什么补贴？")
	s.Started = started
	mustCommit(t, db, s, tr)
	clk.Advance(3 * time.Minute)
	s.State = []byte(`{"step":"result"}`)
	mustCommit(t, db, s, tr)

	got, err := db.LoadSession(ctx, "s1", 30*time.Minute)
	if err != nil {
		t.Fatalf("LoadSession: %v", err)
	}
	if got.ID != "s1" || got.Channel != "web" || got.UserID != "" || got.Version != 2 {
		t.Errorf("LoadSession = %+v, want id s1, channel web, no user id, version 2", got)
	}
	if !got.Started.Equal(started) || !got.Updated.Equal(clk.Now()) {
		t.Errorf("Started, Updated = %v, %v; want %v, %v", got.Started, got.Updated, started, clk.Now())
	}
	if !bytes.Equal(got.State, []byte(`{"step":"result"}`)) {
		t.Errorf("State = %s, want the last one saved", got.State)
	}
	// Another instance sees the same.
	other, err := mustOpen(t, open, Key, clk.Now).LoadSession(ctx, "s1", 0)
	if err != nil || other.Version != 2 || !bytes.Equal(other.State, got.State) {
		t.Errorf("LoadSession at another instance = %+v, %v; want what the first saw", other, err)
	}
}

func testLoadSessionNotFound(t *testing.T, open Opener) {
	clk := NewClock()
	db := mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	if _, err := db.LoadSession(ctx, "nobody", time.Hour); !errors.Is(err, bot.ErrSessionNotFound) {
		t.Errorf("unknown session: %v, want ErrSessionNotFound", err)
	}
	s, tr := SampleTurn("s1", "你好")
	mustCommit(t, db, s, tr)
	clk.Advance(31 * time.Minute)
	if _, err := db.LoadSession(ctx, "s1", 30*time.Minute); !errors.Is(err, bot.ErrSessionNotFound) {
		t.Errorf("idle session: %v, want ErrSessionNotFound", err)
	}
	if _, err := db.LoadSession(ctx, "s1", 0); err != nil {
		t.Errorf("idle session with no limit: %v", err)
	}
}

func testCommitTurnKeepsFirstSession(t *testing.T, open Opener) {
	clk := NewClock()
	db := mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	s, tr := SampleTurn("s1", "你好")
	mustCommit(t, db, s, tr)
	first := clk.Now()
	clk.Advance(time.Minute)
	s.Channel, s.UserID, s.Started = "api", "someone-else", clk.Now()
	tr.Channel, tr.UserID = "api", "someone-else"
	mustCommit(t, db, s, tr)
	got, err := db.LoadSession(ctx, "s1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.Channel != "web" || !got.Started.Equal(first) || !got.Updated.Equal(clk.Now()) || turnsOf(t, db, "s1") != 2 {
		t.Errorf("session = %+v; want the first channel and start, the last update, 2 turns", got)
	}
	// A commit carrying an older Updated does not move it back.
	s.Updated = clk.Now().Add(-time.Hour)
	tr.At = s.Updated
	mustCommit(t, db, s, tr)
	if got, err := db.LoadSession(ctx, "s1", 0); err != nil || !got.Updated.Equal(clk.Now()) {
		t.Errorf("Updated after a late commit = %v, %v; want %v", got.Updated, err, clk.Now())
	}
}

func testCommitTurnRejects(t *testing.T, open Opener) {
	db := mustOpen(t, open, Key, nil)
	ctx := Context(t)
	s, tr := SampleTurn("", "你好")
	if _, err := db.CommitTurn(ctx, s, tr); err == nil {
		t.Error("a session without an id was committed")
	}
	s, tr = SampleTurn("s1", "你好")
	tr.Session = "s2"
	if _, err := db.CommitTurn(ctx, s, tr); err == nil {
		t.Error("a turn of another session was committed")
	}
	s, tr = SampleTurn("s1", "你好")
	tr.Status = "perhaps"
	if _, err := db.CommitTurn(ctx, s, tr); err == nil {
		t.Error("a turn of unknown status was committed")
	}
	if _, err := db.LoadSession(ctx, "s1", 0); !errors.Is(err, bot.ErrSessionNotFound) {
		t.Errorf("a refused turn left its session: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	s, tr = SampleTurn("s3", "你好")
	if _, err := db.CommitTurn(cancelled, s, tr); err == nil {
		t.Error("a commit with a cancelled context went through")
	}
}

// testCommitTurnVersion: two instances load a session at one version; the
// first to commit wins, the second is told the session changed and writes
// nothing, and succeeds once it takes the turn again from the new version.
func testCommitTurnVersion(t *testing.T, open Opener) {
	a, b := mustOpen(t, open, Key, nil), mustOpen(t, open, Key, nil)
	ctx := Context(t)
	s, tr := SampleTurn("s1", "第一句")
	mustCommit(t, a, s, tr)
	atA, err := a.LoadSession(ctx, "s1", 0)
	if err != nil {
		t.Fatal(err)
	}
	atB, err := b.LoadSession(ctx, "s1", 0)
	if err != nil {
		t.Fatal(err)
	}
	atA.State, atB.State = []byte(`{"by":"a"}`), []byte(`{"by":"b"}`)
	if _, err := a.CommitTurn(ctx, atA, tr); err != nil {
		t.Fatalf("first commit from version %d: %v", atA.Version, err)
	}
	if _, err := b.CommitTurn(ctx, atB, tr); !errors.Is(err, bot.ErrSessionChanged) {
		t.Fatalf("second commit from the same version: %v, want ErrSessionChanged", err)
	}
	got, err := b.LoadSession(ctx, "s1", 0)
	if err != nil || string(got.State) != `{"by":"a"}` || got.Version != 2 || turnsOf(t, b, "s1") != 2 {
		t.Fatalf("after the refused commit: %+v, %v, %d turns; want a's state at version 2, 2 turns", got, err, turnsOf(t, b, "s1"))
	}
	got.State = []byte(`{"by":"b"}`)
	if _, err := b.CommitTurn(ctx, got, tr); err != nil {
		t.Fatalf("commit taken again from version 2: %v", err)
	}
	// A new session's id taken meanwhile is a change too.
	fresh, tr := SampleTurn("s1", "又一个")
	if _, err := a.CommitTurn(ctx, fresh, tr); !errors.Is(err, bot.ErrSessionChanged) {
		t.Errorf("a new session over a stored one: %v, want ErrSessionChanged", err)
	}
}

// testCommitTurnConcurrentInstances: writers at two instances, half on one
// shared session (taking their turn again when they lose, as the engine
// does), half on their own; every turn lands once.
func testCommitTurnConcurrentInstances(t *testing.T, open Opener) {
	dbs := []interface {
		LoadSession(context.Context, string, time.Duration) (bot.SessionRecord, error)
		CommitTurn(context.Context, bot.SessionRecord, bot.Turn) (int64, error)
	}{mustOpen(t, open, Key, nil), mustOpen(t, open, Key, nil)}
	ctx := Context(t)
	const writers, perWriter = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			db := dbs[w%2]
			id := fmt.Sprintf("own-%d", w)
			if w < writers/2 {
				id = "shared"
			}
			for i := range perWriter {
				s, tr := SampleTurn(id, fmt.Sprintf("问题 %d-%d", w, i))
				for {
					if cur, err := db.LoadSession(ctx, id, 0); err == nil {
						s.Version = cur.Version
					}
					_, err := db.CommitTurn(ctx, s, tr)
					if errors.Is(err, bot.ErrSessionChanged) {
						continue
					}
					if err != nil {
						errs <- fmt.Errorf("writer %d turn %d: %w", w, i, err)
						return
					}
					break
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	db := mustOpen(t, open, Key, nil)
	if n := turnsOf(t, db, "shared"); n != writers/2*perWriter {
		t.Errorf("shared session: %d turns, want %d", n, writers/2*perWriter)
	}
	if got, err := db.LoadSession(ctx, "shared", 0); err != nil || got.Version != writers/2*perWriter {
		t.Errorf("shared session at version %d (%v), want one per turn, %d", got.Version, err, writers/2*perWriter)
	}
	for w := writers / 2; w < writers; w++ {
		if n := turnsOf(t, db, fmt.Sprintf("own-%d", w)); n != perWriter {
			t.Errorf("own-%d: %d turns, want %d", w, n, perWriter)
		}
	}
}

func testRecordFeedback(t *testing.T, open Opener) {
	db := mustOpen(t, open, Key, nil)
	ctx := Context(t)
	s, tr := SampleTurn("s1", "你好")
	id := mustCommit(t, db, s, tr)
	if err := db.RecordFeedback(ctx, "s1", id, false); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordFeedback(ctx, "s1", id, true); err != nil {
		t.Fatal(err)
	}
	list, err := db.RecentConversations(ctx, 1)
	if err != nil || len(list) != 1 || list[0].Helpful != 1 || list[0].Unhelpful != 0 {
		t.Errorf("after two verdicts: %+v, %v; want the later one alone", list, err)
	}
	if err := db.RecordFeedback(ctx, "s2", id, true); !errors.Is(err, bot.ErrTurnNotFound) {
		t.Errorf("feedback on a turn of another session: %v, want ErrTurnNotFound", err)
	}
	if err := db.RecordFeedback(ctx, "s1", id+1000, true); !errors.Is(err, bot.ErrTurnNotFound) {
		t.Errorf("feedback on no turn: %v, want ErrTurnNotFound", err)
	}
}
