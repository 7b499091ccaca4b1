package openai

import (
	"sync"
	"time"
)

// breaker stops calls to a model that keeps failing: after failures in a
// row it lets none through until a cool-down ends, then one probe; the
// cool-down doubles each time the probe fails. A 429 pauses calls for as
// long as its Retry-After asks, even before the threshold.
type breaker struct {
	mu          sync.Mutex
	now         func() time.Time
	threshold   int
	cooldown    time.Duration
	maxCooldown time.Duration

	fails   int       // failures in a row
	trips   int       // pauses in a row, for the back-off
	until   time.Time // no calls before this
	probing bool      // a probe call is out
}

func newBreaker(c Config) *breaker {
	return &breaker{now: c.Now, threshold: c.Failures, cooldown: c.Cooldown, maxCooldown: c.MaxCooldown}
}

// allow reports whether a call may go out now. Every allowed call must end
// in success, failure or release.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.now().Before(b.until) {
		return false
	}
	if b.fails >= b.threshold {
		if b.probing {
			return false
		}
		b.probing = true
	}
	return true
}

func (b *breaker) success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fails, b.trips, b.probing, b.until = 0, 0, false, time.Time{}
}

// failure counts a failed call and returns when calls may resume, zero if
// they may at once.
func (b *breaker) failure(retryAfter time.Duration) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	b.fails++
	b.probing = false
	if retryAfter > 0 {
		b.until = later(b.until, now.Add(retryAfter))
	}
	if b.fails >= b.threshold {
		b.until = later(b.until, now.Add(b.backoff()))
		b.trips++
	}
	if b.until.After(now) {
		return b.until
	}
	return time.Time{}
}

// release ends a call that says nothing about the model (the caller left).
func (b *breaker) release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.probing = false
}

func (b *breaker) backoff() time.Duration {
	d := b.cooldown
	for range b.trips {
		if d >= b.maxCooldown/2 {
			return b.maxCooldown
		}
		d *= 2
	}
	return min(d, b.maxCooldown)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
