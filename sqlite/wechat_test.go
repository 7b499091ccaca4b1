package sqlite

import (
	"bytes"
	"os"
	"policybot/store/storetest"
	"testing"
	"time"
)

// TestWeChatMessagesClaimedOnce: a MsgId is new once, stays claimed across
// a reopen of the file, keeps the reply it was given for the follower who
// sent it only, and is forgotten only when old.
func TestWeChatMessagesClaimedOnce(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	const wang, li = "oWang-openid-0001", "oLi-openid-0002"

	for _, c := range []struct {
		id   int64
		who  string
		want bool
	}{{24000001, wang, true}, {24000001, wang, false}, {24000002, li, true}, {24000001, li, false}} {
		got, err := db.ClaimWeChatMessage(ctx, c.id, c.who)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("ClaimWeChatMessage(%d, %s) = %v, want %v", c.id, c.who, got, c.want)
		}
	}
	if r, ok, err := db.WeChatReply(ctx, 24000001, wang); err != nil || ok || r != "" {
		t.Errorf("before it is answered, WeChatReply = %q, %v, %v; want none", r, ok, err)
	}
	if err := db.SaveWeChatAnswer(ctx, 24000001, "您好！", wang, "", 0, nil); err != nil {
		t.Fatal(err)
	}
	if r, ok, err := db.WeChatReply(ctx, 24000001, wang); err != nil || !ok || r != "您好！" {
		t.Errorf("WeChatReply = %q, %v, %v; want the reply saved", r, ok, err)
	}
	if r, ok, _ := db.WeChatReply(ctx, 24000001, li); ok || r != "" {
		t.Errorf("another follower sees the reply %q to a message not theirs", r)
	}

	// A restart: the same file, opened anew.
	again, err := Open(path, Config{UserKey: testKey, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if got, err := again.ClaimWeChatMessage(ctx, 24000001, wang); err != nil || got {
		t.Errorf("after reopen, ClaimWeChatMessage = %v, %v; want false, nil", got, err)
	}
	if r, ok, _ := again.WeChatReply(ctx, 24000001, wang); !ok || r != "您好！" {
		t.Errorf("after reopen, WeChatReply = %q, %v", r, ok)
	}

	clk.Advance(2 * time.Hour)
	if _, err := again.ClaimWeChatMessage(ctx, 24000003, wang); err != nil {
		t.Fatal(err)
	}
	n, err := again.ForgetWeChatMessages(ctx, clk.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("ForgetWeChatMessages = %d, want 2", n)
	}
	if got, _ := again.ClaimWeChatMessage(ctx, 24000003, wang); got {
		t.Error("a recent MsgId was forgotten")
	}
	if got, _ := again.ClaimWeChatMessage(ctx, 24000001, wang); !got {
		t.Error("a forgotten MsgId is still claimed")
	}
}

// TestWeChatChat: a follower's conversation and state round-trip with the
// reply, are replaced by a later save, leave no OpenID in the file, and go when their
// conversation is purged.
func TestWeChatChat(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	const openID = "oXyZ_9kLmN8pQrStUvWx7yZaBcDe"

	if s, st, err := db.WeChatChat(ctx, openID); err != nil || s != "" || st != nil {
		t.Fatalf("unknown follower: %q, %q, %v; want empty", s, st, err)
	}
	for _, id := range []string{"first", "second"} {
		s, tr := storetest.SampleTurn(id, "你好")
		if _, err := commitNext(ctx, db, s, tr); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ClaimWeChatMessage(ctx, 24000009, openID); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveWeChatAnswer(ctx, 0, "", openID, "first", 1, []byte(`{"turn":1}`)); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveWeChatAnswer(ctx, 24000009, "请发文字", openID, "second", 2, []byte(`{"turn":2,"options":["employer"]}`)); err != nil {
		t.Fatal(err)
	}
	if r, ok, err := db.WeChatReply(ctx, 24000009, openID); err != nil || !ok || r != "请发文字" {
		t.Errorf("WeChatReply = %q, %v, %v; want the reply saved with the chat", r, ok, err)
	}
	s, st, err := db.WeChatChat(ctx, openID)
	if err != nil || s != "second" || string(st) != `{"turn":2,"options":["employer"]}` {
		t.Errorf("WeChatChat = %q, %s, %v; want the second save", s, st, err)
	}
	if other, _, _ := db.WeChatChat(ctx, "oSomeoneElse"); other != "" {
		t.Errorf("another follower sees conversation %q", other)
	}
	if _, err := db.ClaimWeChatMessage(ctx, 24000010, openID); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveWeChatAnswer(ctx, 24000010, "你好", openID, "no-such-conversation", 3, nil); err == nil {
		t.Error("saving a chat in a conversation that does not exist succeeded")
	}
	if _, ok, _ := db.WeChatReply(ctx, 24000010, openID); ok {
		t.Error("the reply was saved though its chat was not: not one transaction")
	}

	if _, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(openID)) {
			t.Errorf("%s holds the raw OpenID", f)
		}
	}

	clk.Advance(time.Hour)
	if _, err := db.Purge(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	if s, _, err := db.WeChatChat(ctx, openID); err != nil || s != "" {
		t.Errorf("after purge, WeChatChat = %q, %v; want nothing", s, err)
	}
}
