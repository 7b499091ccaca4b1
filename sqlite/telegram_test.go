package sqlite

import (
	"bytes"
	"os"
	"policybot/store/storetest"
	"testing"
	"time"
)

// TestTelegramUpdatesClaimedOnce: an update id is new once, stays claimed
// across a reopen of the file, and is forgotten only when old.
func TestTelegramUpdatesClaimedOnce(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)

	for _, c := range []struct {
		id   int64
		want bool
	}{{700001, true}, {700001, false}, {700002, true}, {700001, false}} {
		got, err := db.ClaimTelegramUpdate(ctx, c.id)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("ClaimTelegramUpdate(%d) = %v, want %v", c.id, got, c.want)
		}
	}

	// A restart: the same file, opened anew.
	again, err := Open(path, Config{UserKey: testKey, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got, err := again.ClaimTelegramUpdate(ctx, 700002); err != nil || got {
		t.Errorf("after reopen, ClaimTelegramUpdate(700002) = %v, %v; want false, nil", got, err)
	}

	clk.Advance(48 * time.Hour)
	if _, err := again.ClaimTelegramUpdate(ctx, 700003); err != nil {
		t.Fatal(err)
	}
	n, err := again.ForgetTelegramUpdates(ctx, clk.Now().Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("ForgetTelegramUpdates = %d, want 2 (700001, 700002)", n)
	}
	if got, _ := again.ClaimTelegramUpdate(ctx, 700003); got {
		t.Error("a recent id was forgotten")
	}
}

// TestTelegramChat: a chat's conversation and state round-trip, are
// replaced by a later save, leave no chat id in the file, and go when
// their conversation is purged.
func TestTelegramChat(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	const key = "-1001987654321:246813579"

	if s, st, err := db.TelegramChat(ctx, key); err != nil || s != "" || st != nil {
		t.Fatalf("unknown chat: %q, %q, %v; want empty", s, st, err)
	}
	for _, id := range []string{"first", "second"} {
		s, tr := storetest.SampleTurn(id, "你好")
		if _, err := commitNext(ctx, db, s, tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveTelegramChat(ctx, key, "first", 1, []byte(`{"turn":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveTelegramChat(ctx, key, "second", 2, []byte(`{"turn":2,"options":["employer"]}`)); err != nil {
		t.Fatal(err)
	}
	s, st, err := db.TelegramChat(ctx, key)
	if err != nil || s != "second" || string(st) != `{"turn":2,"options":["employer"]}` {
		t.Errorf("TelegramChat = %q, %s, %v; want the second save", s, st, err)
	}
	if other, _, _ := db.TelegramChat(ctx, "246813579"); other != "" {
		t.Errorf("another key sees conversation %q", other)
	}
	if err := db.SaveTelegramChat(ctx, key, "no-such-conversation", 3, nil); err == nil {
		t.Error("saving a chat in a conversation that does not exist succeeded")
	}

	if _, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, raw := range []string{"1001987654321", "246813579"} {
			if bytes.Contains(data, []byte(raw)) {
				t.Errorf("%s holds the raw id %s", f, raw)
			}
		}
	}

	clk.Advance(time.Hour)
	if _, err := db.Purge(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if s, _, err := db.TelegramChat(ctx, key); err != nil || s != "" {
		t.Errorf("after purge, TelegramChat = %q, %v; want nothing", s, err)
	}
}
