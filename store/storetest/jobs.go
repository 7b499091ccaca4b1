package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/record"
	"policybot/staff"
	"policybot/store"
)

// testPurge: conversations last active before the cut go with their turns
// and feedback, later ones stay; so do old sign-in records.
func testPurge(t *testing.T, open Opener) {
	clk := NewClock()
	db := mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	for i := range 450 { // more than one batch
		s, tr := SampleTurn(fmt.Sprintf("old-%03d", i), "旧问题")
		id := mustCommit(t, db, s, tr)
		if i == 0 {
			if err := db.RecordFeedback(ctx, s.ID, id, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.RecordLogin(ctx, staff.Login{At: clk.Now(), Name: "x", Addr: "10.0.0.1", Outcome: staff.LoginFailed}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(100 * 24 * time.Hour)
	cut := clk.Now().Add(-time.Hour)
	s, tr := SampleTurn("new", "新问题")
	mustCommit(t, db, s, tr)
	if err := db.RecordLogin(ctx, staff.Login{At: clk.Now(), Name: "y", Addr: "10.0.0.2", Outcome: staff.LoginFailed}); err != nil {
		t.Fatal(err)
	}
	n, err := db.Purge(ctx, cut)
	if err != nil || n != 450 {
		t.Fatalf("Purge = %d, %v; want 450", n, err)
	}
	if _, err := db.LoadSession(ctx, "old-000", 0); !errors.Is(err, bot.ErrSessionNotFound) {
		t.Errorf("a purged session loads: %v", err)
	}
	list, err := db.RecentConversations(ctx, 1000)
	if err != nil || len(list) != 1 || list[0].ID != "new" {
		t.Errorf("left after the purge: %+v, %v; want the new conversation alone", list, err)
	}
	logins, err := db.RecentLogins(ctx, 10)
	if err != nil || len(logins) != 1 || logins[0].Addr != "10.0.0.2" {
		t.Errorf("sign-ins left: %+v, %v; want the recent one", logins, err)
	}
	if n, err := db.Purge(ctx, cut); err != nil || n != 0 {
		t.Errorf("a second purge = %d, %v; want 0", n, err)
	}
}

func testCheck(t *testing.T, open Opener) {
	db := mustOpen(t, open, Key, nil)
	if err := db.Check(Context(t)); err != nil {
		t.Errorf("Check of a healthy database: %v", err)
	}
}

// testExclusive: a job runs at one instance at a time; the other is told
// it did not run, and can run it once the first is done.
func testExclusive(t *testing.T, open Opener) {
	a, b := mustOpen(t, open, Key, nil), mustOpen(t, open, Key, nil)
	ctx := Context(t)
	inside := make(chan struct{})
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		ran, err := a.Exclusive(ctx, "purge", func(context.Context) error {
			close(inside)
			<-release
			return nil
		})
		if !ran || err != nil {
			t.Errorf("the first Exclusive = %v, %v; want it run", ran, err)
		}
	})
	<-inside
	for _, db := range []store.Store{b, a} {
		ran, err := db.Exclusive(ctx, "purge", func(context.Context) error {
			t.Error("a job ran while another instance held it")
			return nil
		})
		if ran || err != nil {
			t.Errorf("Exclusive while held = %v, %v; want not run, no error", ran, err)
		}
	}
	ran, err := b.Exclusive(ctx, "telegram-poller", func(context.Context) error { return nil })
	if !ran || err != nil {
		t.Errorf("another job = %v, %v; want it run", ran, err)
	}
	close(release)
	wg.Wait()
	boom := errors.New("boom")
	ran, err = b.Exclusive(ctx, "purge", func(context.Context) error { return boom })
	if !ran || !errors.Is(err, boom) {
		t.Errorf("Exclusive once released = %v, %v; want it run, with its error", ran, err)
	}
}

// testKeyFingerprint: an instance opened with another user key is refused,
// saying why; the right key still opens.
func testKeyFingerprint(t *testing.T, open Opener) {
	db := mustOpen(t, open, Key, nil)
	s, tr := SampleTurn("s1", "你好")
	mustCommit(t, db, s, tr)
	if _, err := open(t, OtherKey, nil); !errors.Is(err, record.ErrKeyChanged) || !strings.Contains(err.Error(), "POLICYBOT_LOG_KEY") {
		t.Errorf("opened with another key: %v; want ErrKeyChanged, naming the setting", err)
	}
	again := mustOpen(t, open, Key, nil)
	if _, err := again.LoadSession(Context(t), "s1", 0); err != nil {
		t.Errorf("reopened with the right key: %v", err)
	}
}

// testOpenConcurrently: instances starting together on a new database all
// open it, each migration applied once.
func testOpenConcurrently(t *testing.T, open Opener) {
	var wg sync.WaitGroup
	dbs := make([]store.Store, 4)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = open(t, Key, nil) })
	}
	wg.Wait()
	for i, db := range dbs {
		if errs[i] != nil {
			t.Fatalf("instance %d did not open: %v", i, errs[i])
		}
		s, tr := SampleTurn(fmt.Sprintf("s%d", i), "你好")
		mustCommit(t, db, s, tr)
	}
	if n := len(mustRecent(t, dbs[0])); n != len(dbs) {
		t.Errorf("%d conversations, want %d", n, len(dbs))
	}
}

func mustRecent(t *testing.T, db store.Store) []bot.ConversationSummary {
	t.Helper()
	list, err := db.RecentConversations(Context(t), 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
