package sqlite

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store/storetest"
)

// TestCommitTurnConcurrent commits from many goroutines at once, on shared
// and separate sessions, while others read: every commit must succeed, with
// no "database is locked".
func TestCommitTurnConcurrent(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx := storetest.Context(t)
	const writers, perWriter = 12, 40

	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter+100)
	stop := make(chan struct{})
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				// Half the writers share one session, half have their own.
				id := fmt.Sprintf("own-%d", w)
				if w%2 == 0 {
					id = "shared"
				}
				s, tr := storetest.SampleTurn(id, fmt.Sprintf("问题 %d-%d", w, i))
				// Writers of the shared session lose to each other and
				// take their turn again, as the engine does.
				_, err := commitNext(ctx, db, s, tr)
				for errors.Is(err, bot.ErrSessionChanged) {
					_, err = commitNext(ctx, db, s, tr)
				}
				if err != nil {
					errs <- fmt.Errorf("writer %d turn %d: %w", w, i, err)
					return
				}
			}
		})
	}
	var readers sync.WaitGroup
	for range 3 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.LoadSession(ctx, "shared", time.Hour); err != nil && !isNotFound(err) {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
				if _, err := db.RecentConversations(ctx, 10); err != nil {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	var turns, convs int
	if err := db.read.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM turns), (SELECT count(*) FROM conversations)`).Scan(&turns, &convs); err != nil {
		t.Fatal(err)
	}
	if turns != writers*perWriter || convs != writers/2+1 {
		t.Errorf("%d turns in %d conversations, want %d in %d", turns, convs, writers*perWriter, writers/2+1)
	}
}
