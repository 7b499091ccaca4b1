package wechat

import (
	"context"
	"sync"
)

// answering tracks the messages being answered in this process, so that
// WeChat's retry of one still being answered waits for its reply rather
// than answering it again.
type answering struct {
	mu    sync.Mutex
	calls map[msgKey]*call
}

// msgKey names a message: its MsgId, and its sender, so that another
// sender's message under the same id is never given this one's reply.
type msgKey struct {
	id     int64
	openID string
}

// call is one message being answered.
type call struct {
	done  chan struct{} // closed when reply is set
	reply string
}

func newAnswering() *answering { return &answering{calls: map[msgKey]*call{}} }

// join returns the call answering a message; first is true if there was
// none, and the caller must answer it and then call done.
func (a *answering) join(m msgKey) (c *call, first bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.calls[m]; ok {
		return c, false
	}
	c = &call{done: make(chan struct{})}
	a.calls[m] = c
	return c, true
}

// done records a message's reply and lets those waiting for it go.
func (a *answering) done(m msgKey, c *call, reply string) {
	a.mu.Lock()
	delete(a.calls, m)
	a.mu.Unlock()
	c.reply = reply
	close(c.done)
}

// wait waits for the call's reply, or until ctx ends (WeChat hung up), in
// which case there is nothing to send.
func (c *call) wait(ctx context.Context) string {
	select {
	case <-c.done:
		return c.reply
	case <-ctx.Done():
		return ""
	}
}

// followers lets one message per follower be answered at a time: two
// messages sent in a breath must not both start from the same state of the
// conversation.
type followers struct {
	mu    sync.Mutex
	locks map[string]*followerLock
}

type followerLock struct {
	sem  chan struct{} // holds a token while the follower's message is answered
	refs int           // callers holding or waiting for it
}

func newFollowers() *followers { return &followers{locks: map[string]*followerLock{}} }

// lock waits for the follower's turn, or until ctx ends.
func (f *followers) lock(ctx context.Context, openID string) (unlock func(), err error) {
	f.mu.Lock()
	l, ok := f.locks[openID]
	if !ok {
		l = &followerLock{sem: make(chan struct{}, 1)}
		f.locks[openID] = l
	}
	l.refs++
	f.mu.Unlock()
	release := func() {
		f.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(f.locks, openID)
		}
		f.mu.Unlock()
	}
	select {
	case l.sem <- struct{}{}:
		return func() { <-l.sem; release() }, nil
	case <-ctx.Done():
		release()
		return nil, ctx.Err()
	}
}
