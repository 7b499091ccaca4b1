package openai

import (
	"sync"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestBreaker() (*breaker, *fakeClock) {
	clk := &fakeClock{t: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)}
	cfg := Config{Failures: 2, Cooldown: 10 * time.Second, MaxCooldown: 35 * time.Second, Now: clk.now}.withDefaults()
	return newBreaker(cfg), clk
}

func TestBreakerBacksOff(t *testing.T) {
	b, clk := newTestBreaker()
	if !b.allow() || !b.until.IsZero() {
		t.Fatal("new breaker refuses")
	}
	if until := b.failure(0); !until.IsZero() {
		t.Fatalf("one failure paused calls until %v", until)
	}
	b.allow()
	for i, want := range []time.Duration{10 * time.Second, 20 * time.Second, 35 * time.Second, 35 * time.Second} {
		until := b.failure(0)
		if got := until.Sub(clk.t); got != want {
			t.Fatalf("pause %d: %v, want %v", i, got, want)
		}
		clk.t = until.Add(-time.Millisecond)
		if b.allow() {
			t.Fatalf("pause %d: allowed before it ended", i)
		}
		clk.t = until
		if !b.allow() {
			t.Fatalf("pause %d: no probe when it ended", i)
		}
		if b.allow() {
			t.Fatalf("pause %d: a second probe while the first is out", i)
		}
	}
	b.success()
	if first, second := b.allow(), b.allow(); !first || !second {
		t.Error("success did not close the breaker")
	}
}

func TestBreakerRetryAfter(t *testing.T) {
	b, clk := newTestBreaker()
	b.allow()
	until := b.failure(45 * time.Second)
	if until.Sub(clk.t) != 45*time.Second {
		t.Fatalf("paused until %v", until)
	}
	clk.t = until
	if first, second := b.allow(), b.allow(); !first || !second {
		t.Error("after Retry-After, below the threshold, calls should flow")
	}
}

func TestBreakerReleaseFreesTheProbe(t *testing.T) {
	b, clk := newTestBreaker()
	b.failure(0)
	clk.t = b.failure(0)
	if !b.allow() {
		t.Fatal("no probe")
	}
	b.release()
	if !b.allow() {
		t.Error("a released probe blocks the next")
	}
}

func TestBreakerOneProbeAmongMany(t *testing.T) {
	b, clk := newTestBreaker()
	b.failure(0)
	clk.t = b.failure(0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 50 {
		wg.Go(func() {
			if b.allow() {
				mu.Lock()
				allowed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if allowed != 1 {
		t.Errorf("%d probes allowed at once", allowed)
	}
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"20": 20 * time.Second, "1.5": 1500 * time.Millisecond, "Fri, 01 Mar 2024 09:01:00 GMT": time.Minute,
		"Fri, 01 Mar 2024 08:00:00 GMT": 0, "soon": 0, "": 0, "86400": maxRetryAfter,
	} {
		h := map[string][]string{"Retry-After": {v}}
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q: %v, want %v", v, got, want)
		}
	}
}
