package telegram

import (
	"context"
	"errors"
	"fmt"
	"time"

	tgbot "github.com/go-telegram/bot"
)

// Retry settings of calls to the Bot API.
const (
	attemptTimeout = 30 * time.Second       // one call, before it counts as an outage
	firstBackoff   = 500 * time.Millisecond // wait after the first outage
	maxBackoff     = 30 * time.Second
	replyAttempts  = 8 // calls made for one message before it is given up
)

// chatRef is where a message goes.
type chatRef struct {
	id     int64
	group  bool
	thread int // forum topic, 0 if none
}

// outbox calls the Bot API on the channel's clock: it waits for the rate
// limits before each message, waits out a 429 for its retry_after, and
// retries an outage with back-off.
type outbox struct {
	cfg     Config
	limiter *limiter
	metrics *metrics
}

// call runs f, the Bot API call method, until it succeeds, is refused, or
// has been tried attempts times (0: until ctx ends). With a chat, the call
// is a message to it and keeps to the rate limits.
func (o *outbox) call(ctx context.Context, to *chatRef, method string, attempts int, f func(context.Context) error) error {
	backoff := firstBackoff
	for n := 1; ; n++ {
		if to != nil {
			if err := o.waitTurn(ctx, to); err != nil {
				return fmt.Errorf("%s: %w", method, err)
			}
		}
		actx, cancel := context.WithTimeout(ctx, attemptTimeout)
		err := f(actx)
		cancel()
		if err == nil {
			o.metrics.sent.WithLabelValues(method).Inc()
			return nil
		}
		var wait time.Duration
		var tooMany *tgbot.TooManyRequestsError
		var down *outage
		switch {
		case errors.As(err, &tooMany):
			o.metrics.limited.WithLabelValues(method).Inc()
			wait = time.Duration(max(tooMany.RetryAfter, 1)) * time.Second
		case errors.As(err, &down):
			o.metrics.errors.WithLabelValues(method, "outage").Inc()
			wait, backoff = backoff, min(2*backoff, maxBackoff)
		default:
			o.metrics.errors.WithLabelValues(method, "refused").Inc()
			return fmt.Errorf("%s: %w", method, err)
		}
		if attempts > 0 && n >= attempts {
			return fmt.Errorf("%s: gave up after %d attempts: %w", method, n, err)
		}
		if to != nil && tooMany != nil {
			// The chat's next slot moves past retry_after; waitTurn sleeps it.
			o.limiter.hold(to.id, to.group, o.cfg.Now().Add(wait))
			continue
		}
		if err := o.cfg.Sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w", method, err)
		}
	}
}

// waitTurn sleeps until a message may go to the chat: its own slot first,
// then the global one.
func (o *outbox) waitTurn(ctx context.Context, to *chatRef) error {
	if err := o.sleepUntil(ctx, o.limiter.chatSlot(to.id, to.group)); err != nil {
		return err
	}
	return o.sleepUntil(ctx, o.limiter.globalSlot())
}

func (o *outbox) sleepUntil(ctx context.Context, at time.Time) error {
	if d := at.Sub(o.cfg.Now()); d > 0 {
		return o.cfg.Sleep(ctx, d)
	}
	return ctx.Err()
}
