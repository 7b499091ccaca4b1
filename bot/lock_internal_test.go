package bot

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSessionLocks: a second turn of a session waits for the first, gives
// up with its context, other sessions do not wait, and nothing is kept
// once all turns are done.
func TestSessionLocks(t *testing.T) {
	var l sessionLocks
	ctx := context.Background()
	unlock, err := l.lock(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	other, err := l.lock(ctx, "b")
	if err != nil {
		t.Fatalf("another session waited: %v", err)
	}
	other()
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := l.lock(short, "a"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second turn of a session while the first runs: %v, want it to wait until its deadline", err)
	}
	got := make(chan struct{})
	go func() {
		u, err := l.lock(ctx, "a")
		if err == nil {
			u()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("the second turn ran before the first ended")
	case <-time.After(20 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the second turn did not run after the first ended")
	}
	if n := len(l.locks); n != 0 {
		t.Errorf("%d locks kept after every turn ended", n)
	}
}
