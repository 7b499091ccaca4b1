package sqlite

import (
	"fmt"
	"testing"

	"policybot/store/storetest"
)

// TestChatTurnMigrationOnExistingChats: chat rows saved before the turn was
// stored (migration 0007) keep their conversation and state, count as turn
// 0 so the next save of their conversation replaces them, and from then on
// an earlier turn no longer replaces a later one.
func TestChatTurnMigrationOnExistingChats(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	var turns []int64
	for i := range 2 {
		s, tr := storetest.SampleTurn("s1", fmt.Sprintf("第%d句", i+1))
		id, err := commitNext(ctx, db, s, tr)
		if err != nil {
			t.Fatal(err)
		}
		turns = append(turns, id)
	}
	const key, openID = "246813579", "oXyZ_9kLmN8pQrStUvWx7yZaBcDe"
	state := func(turn int64) []byte { return fmt.Appendf(nil, `{"turn":%d}`, turn) }
	if err := db.SaveTelegramChat(ctx, key, "s1", turns[1], state(turns[1])); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveWeChatAnswer(ctx, 0, "", openID, "s1", turns[1], state(turns[1])); err != nil {
		t.Fatal(err)
	}
	// Take the tables back to what 0006 left, as an older release did.
	for _, q := range []string{
		`ALTER TABLE telegram_chats DROP COLUMN turn`,
		`ALTER TABLE wechat_chats DROP COLUMN turn`,
		`DELETE FROM schema_migrations WHERE name = 'migration/0007_chat_turns.sql'`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := Open(path, Config{UserKey: testKey, Now: clk.Now})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()

	chats := []struct {
		name string
		save func(turn int64) error
		load func() (string, []byte, error)
	}{
		{"telegram", func(turn int64) error { return db.SaveTelegramChat(ctx, key, "s1", turn, state(turn)) },
			func() (string, []byte, error) { return db.TelegramChat(ctx, key) }},
		{"wechat", func(turn int64) error { return db.SaveWeChatAnswer(ctx, 0, "", openID, "s1", turn, state(turn)) },
			func() (string, []byte, error) { return db.WeChatChat(ctx, openID) }},
	}
	for _, c := range chats {
		if s, st, err := c.load(); err != nil || s != "s1" || string(st) != string(state(turns[1])) {
			t.Errorf("%s: the chat saved before the migration: %q, %s, %v", c.name, s, st, err)
		}
		var turn int64
		if err := db.read.QueryRowContext(ctx, `SELECT turn FROM `+c.name+`_chats`).Scan(&turn); err != nil || turn != 0 {
			t.Errorf("%s: its turn after the migration: %d, %v; want 0", c.name, turn, err)
		}
		for _, save := range []struct {
			turn, want int64
		}{{turns[0], turns[0]}, {turns[1], turns[1]}, {turns[0], turns[1]}} {
			if err := c.save(save.turn); err != nil {
				t.Fatal(err)
			}
			if _, st, err := c.load(); err != nil || string(st) != string(state(save.want)) {
				t.Errorf("%s: after saving turn %d: %s, %v; want turn %d's state", c.name, save.turn, st, err, save.want)
			}
		}
	}
}
