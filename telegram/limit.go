package telegram

import (
	"sync"
	"time"
)

// maxTracked is how many chats the limiter remembers before it forgets
// those whose next slot has passed (they would be free anyway).
const maxTracked = 4096

// limiter hands out send times that keep to the Limits. It reserves: each
// caller is given its own time and sleeps until then, so concurrent
// senders queue instead of all rushing at the same instant. Per chat it
// keeps a theoretical arrival time (the generic cell rate algorithm): a
// message may go once that time, less the burst allowed, has come, and
// each message moves it on by the chat's spacing.
type limiter struct {
	mu     sync.Mutex
	limits Limits
	now    func() time.Time
	chats  map[int64]time.Time // a chat's theoretical arrival time
	global time.Time           // the next free slot for any chat
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	return &limiter{limits: l, now: now, chats: map[int64]time.Time{}}
}

// chatSlot reserves the next time a message may go to a chat. A group is
// held to the slower of the two spacings, without a burst.
func (l *limiter) chatSlot(chat int64, group bool) time.Time {
	gap, burst := l.limits.PerChat, max(l.limits.Burst, 1)
	if group {
		gap, burst = max(gap, l.limits.PerGroup), 1
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	tat := l.chats[chat]
	if tat.Before(now) {
		tat = now
	}
	at := tat.Add(-time.Duration(burst-1) * gap)
	if at.Before(now) {
		at = now
	}
	if len(l.chats) >= maxTracked {
		for id, t := range l.chats {
			if !t.After(now) {
				delete(l.chats, id)
			}
		}
	}
	l.chats[chat] = tat.Add(gap)
	return at
}

// globalSlot reserves the next time any message may go. It is asked only
// once a chat's own slot has come, so a chat waiting its turn does not hold
// up the others.
func (l *limiter) globalSlot() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	at := l.now()
	if l.global.After(at) {
		at = l.global
	}
	l.global = at.Add(l.limits.Global)
	return at
}

// hold keeps a chat free of messages until the given time: Telegram said
// retry_after. No burst follows it.
func (l *limiter) hold(chat int64, group bool, until time.Time) {
	gap, burst := l.limits.PerChat, max(l.limits.Burst, 1)
	if group {
		burst = 1
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if tat := until.Add(time.Duration(burst-1) * gap); tat.After(l.chats[chat]) {
		l.chats[chat] = tat
	}
}
