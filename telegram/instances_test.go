package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

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

// TestInstancesOutOfOrder: two instances in webhook mode get two updates
// of one chat at once (one instance alone takes a chat's updates one at a
// time), and the earlier turn's reply leaves after the later one's. The
// later turn's buttons stay live, the earlier turn's answer as stale.
func TestInstancesOutOfOrder(t *testing.T) {
	ctx := testContext(t, 60*time.Second)
	w := newWorld(t)
	const secret = "s3cret-Token_1"
	webhook := func(c *Config) {
		c.WebhookURL = "https://bot.example.org" + WebhookPath
		c.WebhookSecret = secret
	}
	committed, release := make(chan struct{}), make(chan struct{})
	slow := w.startWith(holding{w.engine, func(m bot.Message) bool { return m.Option == "individual" }, committed, release}, webhook)
	fast := w.start(webhook)
	w.api.waitFor(ctx, "both webhooks set", func() bool { return len(w.api.servedLocked("setWebhook")) == 2 })
	post := func(to *running, u *models.Update) {
		t.Helper()
		w.api.know(u)
		srv := httptest.NewServer(to.Webhook())
		defer srv.Close()
		body, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+WebhookPath, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(secretHeader, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("webhook answered %d", resp.StatusCode)
		}
	}
	chat := wang.chat()

	post(fast, says(3001, wang, chat, "/check"))
	first := w.api.waitSent(ctx, 1)[0]
	// The first question answered at one instance: its turn is committed
	// and its reply, the next question, held there.
	post(slow, press(3002, wang, first, 1))
	select {
	case <-committed:
	case <-ctx.Done():
		t.Fatal("the press was not handled")
	}
	// Meanwhile /check at the other, whose reply (the question pending
	// now, asked again) leaves first.
	post(fast, says(3003, wang, chat, "/check"))
	later := w.api.waitSent(ctx, 2)[1]
	close(release)
	earlier := w.api.waitSent(ctx, 3)[2]
	if later.ReplyMarkup == nil || earlier.ReplyMarkup == nil {
		t.Fatalf("replies %q then %q; want two questions with buttons", later.Text, earlier.Text)
	}

	acks := func() []apiCall { return w.api.served("answerCallbackQuery") }
	post(slow, press(3004, wang, earlier, 0))
	w.api.waitFor(ctx, "the earlier turn's button answered", func() bool { return len(w.api.servedLocked("answerCallbackQuery")) == 2 })
	if got := acks()[1].params["text"]; got != "这个按钮已失效。请回答最新的问题，或发送 /check 重新开始。" {
		t.Errorf("a button of the earlier turn, whose reply came last, answered %q; want it stale", got)
	}
	post(fast, press(3005, wang, later, 0))
	w.api.waitFor(ctx, "the later turn's button answered", func() bool { return len(w.api.servedLocked("answerCallbackQuery")) == 3 })
	if got := acks()[2].params["text"]; got != "" {
		t.Fatalf("a button of the later turn answered %q; want it live", got)
	}
	next := w.api.waitSent(ctx, 4)[3]
	if next.ReplyMarkup == nil || next.Text == later.Text {
		t.Errorf("after the later turn's button: %q; want the next question with buttons", next.Text)
	}
}
