package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"policybot/store"
)

// chatTable is one channel's chats as the suite drives them: Telegram's by
// chat key, WeChat's by OpenID (saved with a reply to no message).
type chatTable struct {
	name string
	save func(ctx context.Context, db store.Store, who, session string, turn int64, state []byte) error
	load func(ctx context.Context, db store.Store, who string) (session string, state []byte, err error)
}

var chatTables = []chatTable{
	{
		name: "telegram",
		save: func(ctx context.Context, db store.Store, key, session string, turn int64, state []byte) error {
			return db.SaveTelegramChat(ctx, key, session, turn, state)
		},
		load: func(ctx context.Context, db store.Store, key string) (string, []byte, error) {
			return db.TelegramChat(ctx, key)
		},
	},
	{
		name: "wechat",
		save: func(ctx context.Context, db store.Store, openID, session string, turn int64, state []byte) error {
			return db.SaveWeChatAnswer(ctx, 0, "", openID, session, turn, state)
		},
		load: func(ctx context.Context, db store.Store, openID string) (string, []byte, error) {
			return db.WeChatChat(ctx, openID)
		},
	},
}

// stateOf is the channel state a test saves for a turn: it names the turn,
// so the state found tells which save it was.
func stateOf(turn int64) []byte { return fmt.Appendf(nil, `{"turn":%d,"options":["t%d"]}`, turn, turn) }

// commitTurns commits n turns of session id and returns their ids, in the
// order they were taken.
func commitTurns(t *testing.T, db store.Store, id string, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		s, tr := SampleTurn(id, fmt.Sprintf("第%d句", i+1))
		ids[i] = mustCommit(t, db, s, tr)
	}
	return ids
}

// testChatKeepsLaterTurn: a save of an earlier turn of the conversation a
// chat is in, finishing after the save of a later one, leaves the later
// turn's state; a save of the same turn again replaces it (WeChat's 全部
// shows the next part of a reply without a new turn).
func testChatKeepsLaterTurn(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	turns := commitTurns(t, a, "s1", 3)
	for _, c := range chatTables {
		t.Run(c.name, func(t *testing.T) {
			const who = "-1001987654321:246813579"
			for _, save := range []struct {
				db   store.Store
				turn int64
			}{{a, turns[0]}, {a, turns[2]}, {b, turns[1]}} {
				if err := c.save(ctx, save.db, who, "s1", save.turn, stateOf(save.turn)); err != nil {
					t.Fatal(err)
				}
			}
			s, st, err := c.load(ctx, b, who)
			if err != nil || s != "s1" || string(st) != string(stateOf(turns[2])) {
				t.Errorf("after saving turns %d, %d, then %d: %q, %s, %v; want turn %d's state",
					turns[0], turns[2], turns[1], s, st, err, turns[2])
			}
			again := fmt.Appendf(nil, `{"turn":%d,"more":["第三部分"]}`, turns[2])
			if err := c.save(ctx, b, who, "s1", turns[2], again); err != nil {
				t.Fatal(err)
			}
			if _, st, err := c.load(ctx, a, who); err != nil || string(st) != string(again) {
				t.Errorf("after saving turn %d again: %s, %v; want the new save", turns[2], st, err)
			}
		})
	}
}

// testChatNewConversationReplaces: a chat moves to another conversation
// whatever its turns' ids: the engine starts one only when the chat's own
// is missing, expired or purged.
func testChatNewConversationReplaces(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	// The new conversation's turn is committed first, so its id is the
	// lowest: a comparison of turns alone would refuse it.
	fresh := commitTurns(t, a, "fresh", 1)[0]
	old := commitTurns(t, a, "old", 2)
	for _, c := range chatTables {
		t.Run(c.name, func(t *testing.T) {
			const who = "oWang-openid-0001"
			if err := c.save(ctx, a, who, "old", old[1], stateOf(old[1])); err != nil {
				t.Fatal(err)
			}
			if err := c.save(ctx, b, who, "fresh", fresh, stateOf(fresh)); err != nil {
				t.Fatal(err)
			}
			s, st, err := c.load(ctx, a, who)
			if err != nil || s != "fresh" || string(st) != string(stateOf(fresh)) {
				t.Errorf("after a save of another conversation: %q, %s, %v; want it (turn %d) to replace turn %d of the old one",
					s, st, err, fresh, old[1])
			}
		})
	}
}

// testChatConcurrentSaves: the saves of every turn of one conversation,
// made at once at two instances in no order, leave the last turn's state.
func testChatConcurrentSaves(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	turns := commitTurns(t, a, "s1", 8)
	last := turns[len(turns)-1]
	for _, c := range chatTables {
		t.Run(c.name, func(t *testing.T) {
			for round := range 5 {
				who := fmt.Sprintf("chat-%d", round)
				order := rand.Perm(2 * len(turns))
				start := make(chan struct{})
				var wg sync.WaitGroup
				for _, i := range order {
					db, turn := a, turns[i/2]
					if i%2 == 1 {
						db = b
					}
					wg.Go(func() {
						<-start
						if err := c.save(ctx, db, who, "s1", turn, stateOf(turn)); err != nil {
							t.Error(err)
						}
					})
				}
				close(start)
				wg.Wait()
				s, st, err := c.load(ctx, b, who)
				if err != nil || s != "s1" || string(st) != string(stateOf(last)) {
					t.Fatalf("round %d: after saving turns %v at two instances at once: %q, %s, %v; want turn %d's state",
						round, turns, s, st, err, last)
				}
			}
		})
	}
}
