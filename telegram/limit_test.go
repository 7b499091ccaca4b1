package telegram

import (
	"context"
	"testing"
	"time"
)

// TestLimits: messages to one chat go a second apart, to one group three
// seconds apart (twenty a minute), and to anyone at most thirty a second;
// a chat waiting for its slot does not hold up another; a 429 holds the
// chat back.
func TestLimits(t *testing.T) {
	ctx := testContext(t, 10*time.Second)
	clk := &clock{}
	cfg := Config{Now: clk.Now, Sleep: clk.Sleep, Limits: DefaultLimits}
	o := &outbox{cfg: cfg, limiter: newLimiter(cfg.Limits, cfg.Now), metrics: newMetrics()}
	start := clk.Now()
	send := func(to chatRef) time.Duration {
		var at time.Time
		if err := o.call(ctx, &to, "sendMessage", 1, func(context.Context) error {
			at = clk.Now()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return at.Sub(start)
	}
	near := func(got, want time.Duration) bool {
		d := got - want
		return d > -50*time.Millisecond && d < 50*time.Millisecond
	}

	private, group := chatRef{id: 1}, chatRef{id: -100, group: true}
	for i, want := range []time.Duration{0, time.Second, 2 * time.Second} {
		if got := send(private); !near(got, want) {
			t.Errorf("private message %d at %v, want %v", i, got, want)
		}
	}
	// The private chat's next slot is at 3s; the group goes at once, but
	// for the global limit.
	g0 := send(group)
	if !near(g0, 2*time.Second+time.Second/30) {
		t.Errorf("first group message at %v, want 2.033s", g0)
	}
	if g1 := send(group); !near(g1-g0, 3*time.Second) {
		t.Errorf("group messages %v apart, want 3s", g1-g0)
	}

	// Thirty chats at once: a thirtieth of a second apart.
	from := clk.Now()
	var last time.Time
	for id := int64(1000); id < 1030; id++ {
		send(chatRef{id: id})
		last = clk.Now()
	}
	if span := last.Sub(from); span < 29*time.Second/30-50*time.Millisecond || span > 1100*time.Millisecond {
		t.Errorf("30 chats served over %v, want about a second", span)
	}

	o.limiter.hold(2, clk.Now().Add(5*time.Second))
	before := clk.Now()
	if at := send(chatRef{id: 2}); !near(at-before.Sub(start), 5*time.Second) {
		t.Errorf("held chat sent after %v, want 5s", at-before.Sub(start))
	}
}

// TestLimiterForgets: chats whose slot has passed are forgotten once many
// are tracked.
func TestLimiterForgets(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLimiter(DefaultLimits, func() time.Time { return now })
	for id := range int64(maxTracked) {
		l.chatSlot(id, false)
	}
	now = now.Add(time.Minute)
	l.chatSlot(-1, false)
	if len(l.chats) != 1 {
		t.Errorf("%d chats tracked, want 1", len(l.chats))
	}
}
