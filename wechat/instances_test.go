package wechat

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// holding is the engine, holding the reply to the messages hold picks
// after their turn is committed, until release is closed: a turn whose
// reply is slow to leave its instance.
type holding struct {
	Engine
	hold      func(bot.Message) bool
	committed chan<- struct{}
	release   <-chan struct{}
}

func (h holding) Handle(ctx context.Context, m bot.Message) (*bot.Reply, error) {
	r, err := h.Engine.Handle(ctx, m)
	if err != nil || !h.hold(m) {
		return r, err
	}
	h.committed <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
	}
	return r, err
}

// another serves a second channel on the same database and engine: another
// instance behind the same account, which WeChat may post to instead.
func (w *world) another(e Engine) *platform {
	w.t.Helper()
	ch, err := New(Config{Token: testToken, Log: quietLog(), RetryWait: 100 * time.Millisecond}, e, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(ch.Path(), ch)
	srv := httptest.NewServer(mux)
	w.t.Cleanup(srv.Close)
	p := *w.wx
	p.url = srv.URL + ch.Path()
	return &p
}

// TestInstancesOutOfOrder: two messages of one follower answered at once
// by two instances (one instance alone answers a follower's messages one
// at a time), the earlier turn's reply leaving after the later one's: the
// follower's chat holds the later turn's state, so 全部 shows the rest of
// the later reply.
func TestInstancesOutOfOrder(t *testing.T) {
	w := newWorld(t, false)
	ctx := testContext(t, time.Minute)
	committed, release := make(chan struct{}, 1), make(chan struct{})
	slow := w.another(holding{w.engine, func(m bot.Message) bool { return m.Option != "" }, committed, release})

	w.says(ctx, zhang, "我们公司今年招了三个应届生，帮我看看能享受哪些政策")
	// The question answered by its number at one instance: the turn is
	// committed and its reply, the next question, held there.
	earlier := make(chan string, 1)
	go func() { earlier <- slow.send(ctx, zhang, textXML(zhang, nextMsgID(), "3")) }()
	select {
	case <-committed:
	case <-ctx.Done():
		t.Fatal("the number was not answered")
	}
	// Meanwhile the other instance is asked for the result, a reply long
	// enough to come in parts, and answers first.
	note := w.ch.texts.text("zh", textMore)
	first, more := strings.CutSuffix(w.says(ctx, zhang, "直接看结果"), "\n"+note)
	if !more {
		t.Fatalf("the result does not come in parts:\n%s", first)
	}
	close(release)
	var question string
	select {
	case question = <-earlier:
	case <-ctx.Done():
		t.Fatal("the held reply never left")
	}
	if !strings.Contains(question, "回复 1：") {
		t.Fatalf("the earlier turn's reply has no numbered options:\n%s", question)
	}

	second := slow.send(ctx, zhang, textXML(zhang, nextMsgID(), "全部"))
	if second == "" || strings.HasPrefix(second, first[:20]) {
		t.Errorf("全部 after the later turn's reply answered:\n%s\nwant the second part of:\n%s", second, first)
	}
	turns := w.logged()
	if last := turns[len(turns)-1]; last.in != "直接看结果" || len(turns) != 3 {
		t.Errorf("全部 reached the engine (the last of %d turns is %+v): the earlier turn's state replaced the later one's", len(turns), last)
	}
}
