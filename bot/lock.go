package bot

import (
	"context"
	"fmt"
	"sync"
)

// sessionLocks serialise the turns of each conversation within this
// process. A turn reads the session's state, works on it and writes it
// back whole; two turns of one session at once (a double click, a client
// retrying, eight messages sent together) would each start from the same
// state and the later commit would drop what the earlier one learnt. With
// several processes serving one database this is not enough: there the
// store refuses a stale write (SessionRecord.Version) and the turn is
// taken again; this lock only keeps such retries to turns that came to
// different instances.
//
// The zero value is ready to use. Entries exist only while a turn holds or
// waits for them, so the map stays as small as the turns in flight.
type sessionLocks struct {
	mu    sync.Mutex
	locks map[string]*sessionLock
}

// sessionLock is one session's lock: a channel of one slot, so waiting
// for it can give up with the request's context.
type sessionLock struct {
	slot  chan struct{}
	users int // turns holding or waiting for it
}

// lock waits until no other turn of session id runs, or ctx ends. The
// returned function releases it. A turn without a session (the first of a
// conversation) has nothing to wait for.
func (l *sessionLocks) lock(ctx context.Context, id string) (func(), error) {
	if id == "" {
		return func() {}, nil
	}
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*sessionLock{}
	}
	s := l.locks[id]
	if s == nil {
		s = &sessionLock{slot: make(chan struct{}, 1)}
		l.locks[id] = s
	}
	s.users++
	l.mu.Unlock()
	select {
	case s.slot <- struct{}{}:
		return func() { <-s.slot; l.release(id, s) }, nil
	case <-ctx.Done():
		l.release(id, s)
		return nil, fmt.Errorf("wait for the turn before in session %s: %w", id, ctx.Err())
	}
}

// release forgets the lock once no turn holds or waits for it.
func (l *sessionLocks) release(id string, s *sessionLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s.users--; s.users == 0 {
		delete(l.locks, id)
	}
}
