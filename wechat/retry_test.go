package wechat

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"policybot/bot"
)

// gate holds every turn at the door until it is opened, as a slow
// database would; the real engine answers behind it.
type gate struct {
	engine  Engine
	entered chan struct{}
	open    chan struct{}
}

func newGate(e Engine) *gate {
	return &gate{engine: e, entered: make(chan struct{}, 16), open: make(chan struct{})}
}

func (g *gate) Handle(ctx context.Context, m bot.Message) (*bot.Reply, error) {
	g.entered <- struct{}{}
	select {
	case <-g.open:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.engine.Handle(ctx, m)
}

// waitFor polls cond until it holds, failing the test when ctx ends.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestRetryGetsTheSameReply: WeChat posting a message again with the same
// MsgId (its retry when a reply did not reach it) gets the reply the first
// got, and the message is answered once: one turn in the log.
func TestRetryGetsTheSameReply(t *testing.T) {
	modes(t, func(t *testing.T, w *world) {
		ctx := testContext(t, time.Minute)
		w.says(ctx, wang, "帮我看看")
		msg := textXML(wang, nextMsgID(), "1") // chooses an option: taken twice, it would move the check on twice
		first := w.wx.send(ctx, wang, msg)
		for i := range 2 {
			if again := w.wx.send(ctx, wang, msg); again != first {
				t.Errorf("retry %d got\n%s\nwant the first reply\n%s", i+1, again, first)
			}
		}
		if n := len(w.logged()); n != 2 {
			t.Errorf("%d turns logged, want 2: the retries were answered again", n)
		}
		if n := w.metric("policybot_wechat_retries_total"); n != 2 {
			t.Errorf("retries counted %v, want 2", n)
		}
	})
}

// TestRetryWhileAnswering: a retry that comes while the first is still
// being answered waits for its reply; and when WeChat hung up on the first
// before the reply was ready, the turn still finishes, and the next retry
// gets its reply.
func TestRetryWhileAnswering(t *testing.T) {
	w := newWorld(t, true)
	g := newGate(w.engine)
	w.serve(g, func(c *Config) { c.EncodingAESKey, c.AppID = testAESKey, testAppID })
	ctx := testContext(t, time.Minute)
	msg := textXML(wang, nextMsgID(), "稳岗返还的比例是多少？")

	var wg sync.WaitGroup
	replies := make([]string, 2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		replies[0] = w.wx.send(ctx, wang, msg)
	}()
	<-g.entered
	wg.Add(1)
	go func() {
		defer wg.Done()
		replies[1] = w.wx.send(ctx, wang, msg)
	}()
	waitFor(t, ctx, "the retry to wait", func() bool { return w.metric("policybot_wechat_retries_total") == 1 })
	// The same MsgId from someone else meanwhile waits for nobody's reply.
	if got := w.wx.send(ctx, zhang, bytes.ReplaceAll(msg, []byte(wang), []byte(zhang))); got != w.ch.texts.text("zh", textFailed) {
		t.Errorf("another follower's message under the same MsgId got %q", got)
	}
	close(g.open)
	wg.Wait()
	if replies[0] == "" || replies[0] != replies[1] {
		t.Errorf("first and retry got\n%s\n---\n%s", replies[0], replies[1])
	}

	// WeChat hangs up on the first try before the turn is done.
	g = newGate(w.engine)
	w.serve(g, func(c *Config) { c.EncodingAESKey, c.AppID = testAESKey, testAppID })
	id := nextMsgID()
	msg = textXML(zhang, id, "灵活就业社保补贴怎么申请？")
	hangUp, cancel := context.WithCancel(ctx)
	req := w.wx.wrap(zhang, msg)
	go func() {
		<-g.entered
		cancel()
		time.Sleep(20 * time.Millisecond) // the server sees the connection close
		close(g.open)
	}()
	httpReq, _ := http.NewRequestWithContext(hangUp, http.MethodPost, w.wx.url+"?"+req.query.Encode(), bytes.NewReader(req.body))
	if _, err := w.wx.client.Do(httpReq); !errors.Is(err, context.Canceled) {
		t.Fatalf("the first try: %v, want it cut off", err)
	}
	waitFor(t, ctx, "the turn to finish", func() bool {
		_, ok, _ := w.db.WeChatReply(ctx, id, zhang)
		return ok
	})
	stored, _, _ := w.db.WeChatReply(ctx, id, zhang)
	if got := w.wx.send(ctx, zhang, msg); got != stored || got == w.ch.texts.text("zh", textFailed) {
		t.Errorf("the retry got\n%s\nwant the turn's reply\n%s", got, stored)
	}
	if n := len(w.logged()); n != 2 {
		t.Errorf("%d turns logged, want 2", n)
	}
}

// TestRetryAfterRestart: a retry that reaches a restarted process gets the
// reply from the store; a message claimed by a process that stopped before
// it replied is not answered again (its turn may have been taken) but told
// to send again; and a MsgId sent by someone else gets nobody's reply.
func TestRetryAfterRestart(t *testing.T) {
	w := newWorld(t, false)
	ctx := testContext(t, time.Minute)
	wangs := nextMsgID()
	msg := textXML(wang, wangs, "稳岗返还的比例是多少？")
	first := w.wx.send(ctx, wang, msg)
	w.restart()
	if again := w.wx.send(ctx, wang, msg); again != first {
		t.Errorf("after a restart the retry got\n%s\nwant\n%s", again, first)
	}

	id := nextMsgID()
	if _, err := w.db.ClaimWeChatMessage(ctx, id, zhang); err != nil {
		t.Fatal(err)
	}
	if got := w.wx.send(ctx, zhang, textXML(zhang, id, "稳岗返还的比例是多少？")); got != w.ch.texts.text("zh", textFailed) {
		t.Errorf("a claimed message without a reply got %q", got)
	}

	if got := w.wx.send(ctx, zhang, textXML(zhang, wangs, "稳岗返还的比例是多少？")); got != w.ch.texts.text("zh", textFailed) {
		t.Errorf("another follower's MsgId got %q, want neither the first follower's reply nor a turn", got)
	}
	if n := len(w.logged()); n != 1 {
		t.Errorf("%d turns logged, want 1", n)
	}
}

// TestRetryAnsweredElsewhere: a retry of a message that another instance
// sharing the database claimed and is still answering waits for that
// instance's reply and gets it; no second turn is taken.
func TestRetryAnsweredElsewhere(t *testing.T) {
	w := newWorld(t, false)
	w.serve(w.engine, func(c *Config) { c.RetryWait = 4 * time.Second })
	ctx := testContext(t, time.Minute)
	id := nextMsgID()
	if first, err := w.db.ClaimWeChatMessage(ctx, id, zhang); err != nil || !first {
		t.Fatalf("claim as the other instance: %v, %v", first, err)
	}
	go func() {
		time.Sleep(300 * time.Millisecond) // the other instance answers
		if err := w.db.SaveWeChatAnswer(ctx, id, "别处给的答复", zhang, "", 0, nil); err != nil {
			t.Error(err)
		}
	}()
	if got := w.wx.send(ctx, zhang, textXML(zhang, id, "稳岗返还的比例是多少？")); got != "别处给的答复" {
		t.Errorf("the retry got %q, want the other instance's reply", got)
	}
	if n := len(w.logged()); n != 0 {
		t.Errorf("%d turns logged, want none", n)
	}
}

// TestOneMessageAtATime: two messages a follower sends in a breath are
// answered one after the other, the second from the state the first left;
// another follower is not held up meanwhile.
func TestOneMessageAtATime(t *testing.T) {
	w := newWorld(t, false)
	g := newGate(w.engine)
	w.serve(g)
	ctx := testContext(t, time.Minute)
	var wg sync.WaitGroup
	send := func(openID, text string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.says(ctx, openID, text)
		}()
	}
	send(zhang, "我们公司今年招了三个应届生，帮我看看能享受哪些政策")
	<-g.entered
	send(zhang, "我们是小型企业")
	select {
	case <-g.entered:
		t.Fatal("the follower's second message reached the engine while the first was being answered")
	case <-time.After(200 * time.Millisecond):
	}
	send(wang, "稳岗返还的比例是多少？")
	select {
	case <-g.entered:
	case <-ctx.Done():
		t.Fatal("another follower was held up")
	}
	close(g.open)
	wg.Wait()
	var zhangs []loggedTurn
	for _, l := range w.logged() {
		if l.userHash == userHash(zhang) {
			zhangs = append(zhangs, l)
		}
	}
	if len(zhangs) != 2 || zhangs[0].conversation != zhangs[1].conversation || zhangs[1].in != "我们是小型企业" {
		t.Errorf("the follower's turns: %+v; want both, in order, in one conversation", zhangs)
	}
}
