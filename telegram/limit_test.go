package telegram

import (
	"context"
	"testing"
	"time"
)

// TestLimits: a private chat gets three messages at once, then one a
// second; a group one every three seconds (twenty a minute); anyone at most
// thirty a second; a chat waiting for its slot does not hold up another; a
// 429 holds a chat back, with no burst after it.
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
		return d > -80*time.Millisecond && d < 80*time.Millisecond
	}
	const tick = time.Second / 30

	private, group := chatRef{id: 1}, chatRef{id: -100, group: true}
	for i, want := range []time.Duration{0, tick, 2 * tick, time.Second, 2 * time.Second} {
		if got := send(private); !near(got, want) {
			t.Errorf("private message %d at %v, want %v", i, got, want)
		}
	}
	// The private chat's next slot is at 3s; the group goes at once, but
	// for the global limit.
	g0 := send(group)
	if !near(g0, 2*time.Second+tick) {
		t.Errorf("first group message at %v, want 2.033s", g0)
	}
	for i := range 2 {
		if g := send(group); !near(g-g0, time.Duration(i+1)*3*time.Second) {
			t.Errorf("group message %d at +%v, want +%v", i+2, g-g0, time.Duration(i+1)*3*time.Second)
		}
	}

	// Thirty chats at once: a thirtieth of a second apart.
	from := clk.Now()
	var last time.Time
	for id := int64(1000); id < 1030; id++ {
		send(chatRef{id: id})
		last = clk.Now()
	}
	if span := last.Sub(from); span < 29*tick-50*time.Millisecond || span > 1100*time.Millisecond {
		t.Errorf("30 chats served over %v, want about a second", span)
	}

	for _, to := range []chatRef{{id: 2}, {id: -200, group: true}} {
		before := clk.Now()
		o.limiter.hold(to.id, to.group, before.Add(5*time.Second))
		first, second := send(to), send(to)
		gap := cfg.Limits.PerChat
		if to.group {
			gap = cfg.Limits.PerGroup
		}
		if held := before.Sub(start); !near(first-held, 5*time.Second) || !near(second-first, gap) {
			t.Errorf("chat %d held for 5s sent after %v, then %v later; want 5s, then %v", to.id, first-held, second-first, gap)
		}
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
