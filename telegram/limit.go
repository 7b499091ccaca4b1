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
// senders queue instead of all rushing at the same instant.
type limiter struct {
	mu     sync.Mutex
	limits Limits
	now    func() time.Time
	chats  map[int64]time.Time // a chat's next free slot
	global time.Time           // the next free slot for any chat
}

func newLimiter(l Limits, now func() time.Time) *limiter {
	return &limiter{limits: l, now: now, chats: map[int64]time.Time{}}
}

// chatSlot reserves the next time a message may go to a chat, a group
// being held to the slower of the two limits.
func (l *limiter) chatSlot(chat int64, group bool) time.Time {
	gap := l.limits.PerChat
	if group {
		gap = max(gap, l.limits.PerGroup)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at := now
	if next, ok := l.chats[chat]; ok && next.After(now) {
		at = next
	}
	if len(l.chats) >= maxTracked {
		for id, next := range l.chats {
			if !next.After(now) {
				delete(l.chats, id)
			}
		}
	}
	l.chats[chat] = at.Add(gap)
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
// retry_after.
func (l *limiter) hold(chat int64, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.chats[chat]) {
		l.chats[chat] = until
	}
}
