package telegram

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// TestTooManyRequests: a 429 is waited out for as long as its retry_after
// says, on the channel's clock, and the message then sent; a 429 to a
// button's answer too.
func TestTooManyRequests(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	w.api.tooMany("sendMessage", 7)
	ch := w.start()
	w.api.push(says(5001, wang, wang.chat(), "/check"))
	sent := w.api.waitSent(ctx, 1)
	if n := w.api.attempts("sendMessage"); n != 2 {
		t.Errorf("sendMessage tried %d times, want 2", n)
	}
	if !slices.ContainsFunc(w.clock.slept(), func(d time.Duration) bool { return d > 6900*time.Millisecond && d <= 7*time.Second }) {
		t.Errorf("waits %v, want one of 7s", w.clock.slept())
	}
	if got := ch.metric(t, "policybot_telegram_rate_limited_total", "method", "sendMessage"); got != 1 {
		t.Errorf("%v 429s counted, want 1", got)
	}

	w.api.tooMany("answerCallbackQuery", 3)
	w.api.push(press(5002, wang, sent[0], 1))
	w.api.waitSent(ctx, 2)
	if n := w.api.attempts("answerCallbackQuery"); n != 2 || len(w.api.served("answerCallbackQuery")) != 1 {
		t.Errorf("answerCallbackQuery tried %d times, want 2, the second served", n)
	}
	if !slices.Contains(w.clock.slept(), 3*time.Second) {
		t.Errorf("waits %v, want one of 3s", w.clock.slept())
	}
}

// TestOutage: a Bot API down at start, while polling and while sending is
// waited out with back-off, and the reply still goes, once.
func TestOutage(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	w.api.down("getMe", http.StatusServiceUnavailable, 2)
	w.api.down("getUpdates", http.StatusBadGateway, 2)
	w.api.down("sendMessage", http.StatusInternalServerError, 3)
	ch := w.start()
	w.api.push(says(6001, wang, wang.chat(), "你好"))
	w.api.waitSent(ctx, 1)

	if n := w.api.attempts("getMe"); n != 3 {
		t.Errorf("getMe tried %d times, want 3", n)
	}
	if n := w.api.attempts("sendMessage"); n != 4 {
		t.Errorf("sendMessage tried %d times, want 4", n)
	}
	if n := len(w.api.sent()); n != 1 {
		t.Errorf("%d messages sent, want 1", n)
	}
	// Back-off: 0.5s and 1s for getMe; 0.5s, 1s, 2s for sendMessage.
	count := func(d time.Duration) int {
		n := 0
		for _, s := range w.clock.slept() {
			if s == d {
				n++
			}
		}
		return n
	}
	if count(500*time.Millisecond) != 2 || count(2*time.Second) != 1 {
		t.Errorf("waits %v, want back-off doubling from 0.5s", w.clock.slept())
	}
	for op, want := range map[string]float64{"getMe": 2, "poll": 2, "sendMessage": 3} {
		if got := ch.metric(t, "policybot_telegram_errors_total", "op", op, "reason", "outage"); got != want {
			t.Errorf("%v outages of %s counted, want %v", got, op, want)
		}
	}
}

// TestRefused: a message Telegram refuses (the person blocked the bot) is
// not retried.
func TestRefused(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	w.api.script("sendMessage", http.StatusForbidden, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`)
	ch := w.start()
	w.api.push(says(7001, wang, wang.chat(), "你好"), says(7002, alice, alice.chat(), "hello"))
	sent := w.api.waitSent(ctx, 1)
	waitUntil(t, ctx, "the refusal counted", func() bool {
		return ch.metric(t, "policybot_telegram_errors_total", "op", "sendMessage", "reason", "refused") == 1
	})
	if n := w.api.attempts("sendMessage"); n != 2 || len(sent) != 1 {
		t.Errorf("sendMessage tried %d times with %d sent, want 2 and 1", n, len(sent))
	}
}

// TestBadToken: a token the Bot API refuses stops the channel with an
// error that says so.
func TestBadToken(t *testing.T) {
	ctx := testContext(t, 10*time.Second)
	w := newWorld(t)
	cfg := w.config()
	cfg.Token = "987:wrong"
	ch, err := New(cfg, w.engine, w.db)
	if err != nil {
		t.Fatal(err)
	}
	err = ch.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "Unauthorized") {
		t.Errorf("Run = %v, want the token refused", err)
	}
}

// failing is the engine, failing on the messages fail picks.
type failing struct {
	Engine
	fail func(bot.Message) bool
}

func (f failing) Handle(ctx context.Context, m bot.Message) (*bot.Reply, error) {
	if f.fail(m) {
		return nil, errors.New("commit turn: database is locked")
	}
	return f.Engine.Handle(ctx, m)
}

// TestEngineFails: when the engine fails, the person is told so, once: in
// a message, also after a button press already answered.
func TestEngineFails(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	ch := w.startWith(failing{w.engine, func(m bot.Message) bool { return m.Text == "坏了" || m.Option == "employer" }})
	w.api.push(says(9001, wang, wang.chat(), "坏了"), says(9002, wang, wang.chat(), "/check"))
	sent := w.api.waitSent(ctx, 2)
	const sorry = "抱歉，出了点问题，请稍后再试；急需帮助请拨打12333。"
	if sent[0].Text != sorry {
		t.Errorf("engine failure answered %q", sent[0].Text)
	}
	w.api.push(press(9003, wang, sent[1], 0)) // employer
	sent = w.api.waitSent(ctx, 3)
	if sent[2].Text != sorry {
		t.Errorf("engine failure after a press answered %q", sent[2].Text)
	}
	if n := w.api.attempts("answerCallbackQuery"); n != 1 {
		t.Errorf("the press answered %d times, want once", n)
	}
	if got := ch.metric(t, "policybot_telegram_errors_total", "op", "engine", "reason", "failed"); got != 2 {
		t.Errorf("%v engine failures counted, want 2", got)
	}
}
