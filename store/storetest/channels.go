package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testTelegramUpdatesClaimedOnce: an update delivered to two instances at
// once is claimed by one; old ids are forgotten.
func testTelegramUpdatesClaimedOnce(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	for round := range 20 {
		id := int64(700000 + round)
		var won atomic.Int32
		var wg sync.WaitGroup
		for i := range 4 {
			db := a
			if i%2 == 1 {
				db = b
			}
			wg.Go(func() {
				got, err := db.ClaimTelegramUpdate(ctx, id)
				if err != nil {
					t.Error(err)
				}
				if got {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("update %d claimed %d times by four claims at two instances, want once", id, won.Load())
		}
	}
	clk.Advance(48 * time.Hour)
	if got, err := b.ClaimTelegramUpdate(ctx, 800000); err != nil || !got {
		t.Fatalf("a new update: %v, %v", got, err)
	}
	n, err := a.ForgetTelegramUpdates(ctx, clk.Now().Add(-24*time.Hour))
	if err != nil || n != 20 {
		t.Errorf("ForgetTelegramUpdates = %d, %v; want the 20 old ones", n, err)
	}
	if got, _ := a.ClaimTelegramUpdate(ctx, 800000); got {
		t.Error("a recent id was forgotten")
	}
}

// testTelegramChat: a chat's conversation and state round-trip between
// instances, are replaced by a later save, and go when their conversation
// is purged.
func testTelegramChat(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	const key = "-1001987654321:246813579"
	if s, st, err := a.TelegramChat(ctx, key); err != nil || s != "" || st != nil {
		t.Fatalf("unknown chat: %q, %q, %v; want empty", s, st, err)
	}
	for _, id := range []string{"first", "second"} {
		s, tr := SampleTurn(id, "你好")
		turn := mustCommit(t, a, s, tr)
		if err := a.SaveTelegramChat(ctx, key, id, turn, []byte(`{"turn":1,"options":["`+id+`"]}`)); err != nil {
			t.Fatal(err)
		}
	}
	s, st, err := b.TelegramChat(ctx, key)
	if err != nil || s != "second" || string(st) != `{"turn":1,"options":["second"]}` {
		t.Errorf("TelegramChat at another instance = %q, %s, %v; want the later save", s, st, err)
	}
	if s, _, _ := b.TelegramChat(ctx, "-1001987654321:1"); s != "" {
		t.Errorf("another member of the group shares the chat: %q", s)
	}
	if err := a.SaveTelegramChat(ctx, key, "no-such-conversation", 1<<40, nil); err == nil {
		t.Error("saving a chat in a conversation that does not exist succeeded")
	}
	clk.Advance(48 * time.Hour)
	if _, err := b.Purge(ctx, clk.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if s, st, err := a.TelegramChat(ctx, key); err != nil || s != "" || st != nil {
		t.Errorf("after its conversation was purged: %q, %s, %v; want none", s, st, err)
	}
}

// testWeChatMessagesClaimedOnce: a MsgId is claimed once across instances,
// and its reply, once saved, is found by a retry at either, for the same
// follower only.
func testWeChatMessagesClaimedOnce(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	const wang, li = "oWang-openid-0001", "oLi-openid-0002"
	for _, c := range []struct {
		id   int64
		who  string
		at   int
		want bool
	}{{24000001, wang, 0, true}, {24000001, wang, 1, false}, {24000002, li, 1, true}, {24000001, li, 0, false}} {
		db := a
		if c.at == 1 {
			db = b
		}
		got, err := db.ClaimWeChatMessage(ctx, c.id, c.who)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("ClaimWeChatMessage(%d, %s) at instance %d = %v, want %v", c.id, c.who, c.at, got, c.want)
		}
	}
	if r, ok, err := b.WeChatReply(ctx, 24000001, wang); err != nil || ok || r != "" {
		t.Errorf("before it is answered, WeChatReply = %q, %v, %v; want none", r, ok, err)
	}
	if err := a.SaveWeChatAnswer(ctx, 24000001, "您好！", wang, "", 0, nil); err != nil {
		t.Fatal(err)
	}
	if r, ok, err := b.WeChatReply(ctx, 24000001, wang); err != nil || !ok || r != "您好！" {
		t.Errorf("WeChatReply at another instance = %q, %v, %v; want the reply saved", r, ok, err)
	}
	if r, ok, _ := b.WeChatReply(ctx, 24000001, li); ok || r != "" {
		t.Errorf("another follower sees the reply %q to a message not theirs", r)
	}
	clk.Advance(2 * time.Hour)
	if _, err := b.ClaimWeChatMessage(ctx, 24000003, wang); err != nil {
		t.Fatal(err)
	}
	n, err := a.ForgetWeChatMessages(ctx, clk.Now().Add(-time.Hour))
	if err != nil || n != 2 {
		t.Errorf("ForgetWeChatMessages = %d, %v; want 2", n, err)
	}
	if got, _ := a.ClaimWeChatMessage(ctx, 24000003, wang); got {
		t.Error("a recent MsgId was forgotten")
	}
	if got, _ := a.ClaimWeChatMessage(ctx, 24000001, wang); !got {
		t.Error("a forgotten MsgId is still claimed")
	}
}

// testWeChatChat: a follower's conversation and state are saved with the
// reply, seen at another instance, and go when the conversation is purged.
func testWeChatChat(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	const wang = "oWang-openid-0001"
	if s, st, err := a.WeChatChat(ctx, wang); err != nil || s != "" || st != nil {
		t.Fatalf("unknown follower: %q, %q, %v; want empty", s, st, err)
	}
	s, tr := SampleTurn("w1", "你好")
	turn := mustCommit(t, a, s, tr)
	if _, err := a.ClaimWeChatMessage(ctx, 1, wang); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveWeChatAnswer(ctx, 1, "第一部分", wang, "w1", turn, []byte(`{"more":["第二部分"]}`)); err != nil {
		t.Fatal(err)
	}
	// A reply with no new conversation (a notice) leaves the chat as it was.
	if err := b.SaveWeChatAnswer(ctx, 0, "请发文字", wang, "", 0, nil); err != nil {
		t.Fatal(err)
	}
	got, st, err := b.WeChatChat(ctx, wang)
	if err != nil || got != "w1" || string(st) != `{"more":["第二部分"]}` {
		t.Errorf("WeChatChat at another instance = %q, %s, %v", got, st, err)
	}
	if r, ok, _ := b.WeChatReply(ctx, 1, "oSomeoneElse"); ok || r != "" {
		t.Errorf("another follower sees the reply %q to a message not theirs", r)
	}
	// The reply and the chat are one transaction: a chat that cannot be
	// saved takes its reply with it.
	if _, err := a.ClaimWeChatMessage(ctx, 2, wang); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveWeChatAnswer(ctx, 2, "你好", wang, "no-such-conversation", 1<<40, nil); err == nil {
		t.Error("saving a chat in a conversation that does not exist succeeded")
	}
	if _, ok, _ := b.WeChatReply(ctx, 2, wang); ok {
		t.Error("the reply was saved though its chat was not: not one transaction")
	}
	clk.Advance(48 * time.Hour)
	if _, err := b.Purge(ctx, clk.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, st, err := a.WeChatChat(ctx, wang); err != nil || got != "" || st != nil {
		t.Errorf("after its conversation was purged: %q, %s, %v; want none", got, st, err)
	}
}
