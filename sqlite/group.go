package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Group commit: the writes of a turn, a health probe and a rating are
// queued and written by one goroutine, which takes every write waiting when
// it is free (at most GroupCommit.MaxBatch, waiting at most
// GroupCommit.MaxWait for more) and commits them in one transaction, so one
// fsync makes a whole batch durable. Each write runs in a savepoint of its
// own, so one that fails is undone alone; each caller is answered only
// after the commit holding its write returned, so nothing is acknowledged
// that a crash could take back. synchronous=FULL is unchanged.

// GroupCommit bounds the batches of the group commit.
type GroupCommit struct {
	// MaxBatch is how many writes one transaction holds at most
	// (DefaultMaxBatch when zero or less).
	MaxBatch int
	// MaxWait is how long the committer waits for more writes once it has
	// one (zero: it takes only those already waiting, which under load are
	// the ones that arrived during the previous fsync). It is bounded by
	// MaxWaitLimit.
	MaxWait time.Duration
}

// Bounds of the group commit.
const (
	DefaultMaxBatch = 64
	// MaxBatchLimit bounds MaxBatch: a larger batch holds its first writer
	// waiting for the SQL of all the others.
	MaxBatchLimit = 1024
	// MaxWaitLimit bounds MaxWait: waiting longer than a disk's fsync only
	// adds latency.
	MaxWaitLimit = 10 * time.Millisecond
)

// check reports a bound out of range.
func (g GroupCommit) check() error {
	switch {
	case g.MaxBatch > MaxBatchLimit:
		return fmt.Errorf("group commit: batch of %d writes, at most %d", g.MaxBatch, MaxBatchLimit)
	case g.MaxWait < 0 || g.MaxWait > MaxWaitLimit:
		return fmt.Errorf("group commit: wait of %s, want 0 to %s", g.MaxWait, MaxWaitLimit)
	}
	return nil
}

// write is one queued write: f runs inside the batch's transaction, with
// the batch's context (a caller giving up must not interrupt the others'
// statements: SQLite rolls back the whole transaction of an interrupted
// write), and done receives its outcome once the batch is committed.
type write struct {
	ctx  context.Context // the caller's: a write whose caller left before its batch began is skipped
	f    func(ctx context.Context, tx *sql.Tx) error
	done chan error
}

// committer owns the queue of grouped writes.
type committer struct {
	queue    chan write
	stop     chan struct{}
	stopOnce sync.Once
	ended    chan struct{}
	cfg      GroupCommit
}

// startCommitter starts the goroutine that writes the batches.
func (db *DB) startCommitter(cfg GroupCommit) {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = DefaultMaxBatch
	}
	c := &committer{
		queue: make(chan write, cfg.MaxBatch),
		stop:  make(chan struct{}),
		ended: make(chan struct{}),
		cfg:   cfg,
	}
	db.group = c
	go db.commitLoop(c)
}

// stopCommitter ends the committer after the batch it is writing; writes
// still queued are answered with errClosed.
func (db *DB) stopCommitter() {
	if db.group == nil {
		return
	}
	db.group.stopOnce.Do(func() { close(db.group.stop) }) // Close may be called twice
	<-db.group.ended
}

var errClosed = errors.New("the database is closed")

// grouped runs f in the next batch and returns once that batch is
// committed (nil) or f or the commit failed. It is inTx for the writes
// that come many at a time.
func (db *DB) grouped(ctx context.Context, f func(ctx context.Context, tx *sql.Tx) error) error {
	w := write{ctx: ctx, f: f, done: make(chan error, 1)}
	select {
	case <-db.group.ended:
		return errClosed
	default:
	}
	select {
	case db.group.queue <- w:
	case <-db.group.ended:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w.done:
		return err
	case <-db.group.ended:
		// Closed: the last batch answered its writes before ending; one
		// queued after the drain is answered here.
		select {
		case err := <-w.done:
			return err
		default:
			return errClosed
		}
	case <-ctx.Done():
		// The write may still be committed; it is not acknowledged.
		return ctx.Err()
	}
}

// commitLoop takes the writes waiting, commits them together, and again.
func (db *DB) commitLoop(c *committer) {
	defer close(c.ended)
	batch := make([]write, 0, c.cfg.MaxBatch)
	for {
		select {
		case w := <-c.queue:
			batch = append(batch[:0], w)
		case <-c.stop:
			c.drain()
			return
		}
		batch = c.gather(batch)
		db.commitBatch(batch)
	}
}

// gather adds the writes waiting, up to MaxBatch, waiting up to MaxWait
// for more when it is set.
func (c *committer) gather(batch []write) []write {
	var deadline <-chan time.Time
	if c.cfg.MaxWait > 0 {
		t := time.NewTimer(c.cfg.MaxWait)
		defer t.Stop()
		deadline = t.C
	}
	for len(batch) < c.cfg.MaxBatch {
		if deadline == nil {
			select {
			case w := <-c.queue:
				batch = append(batch, w)
				continue
			default:
				return batch
			}
		}
		select {
		case w := <-c.queue:
			batch = append(batch, w)
		case <-deadline:
			return batch
		case <-c.stop:
			return batch
		}
	}
	return batch
}

// drain answers the writes still queued when the database closes.
func (c *committer) drain() {
	for {
		select {
		case w := <-c.queue:
			w.done <- errClosed
		default:
			return
		}
	}
}

// commitBatch writes a batch in one transaction, each write in a savepoint,
// and answers every write once the outcome is known.
func (db *DB) commitBatch(batch []write) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	answer := func(commitErr error) {
		for i, w := range batch {
			if errs[i] == nil {
				errs[i] = commitErr
			}
			w.done <- errs[i]
		}
	}
	live := 0
	for i, w := range batch {
		if err := w.ctx.Err(); err != nil {
			errs[i] = err
			continue
		}
		live++
	}
	if live == 0 {
		answer(nil)
		return
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		answer(fmt.Errorf("begin: %w", err))
		return
	}
	defer tx.Rollback()
	if err := db.files.check(); err != nil {
		answer(err)
		return
	}
	kept := 0
	for i, w := range batch {
		if errs[i] != nil {
			continue
		}
		err := db.inSavepoint(ctx, tx, w.f)
		var broken *brokenTx
		if errors.As(err, &broken) {
			// What the transaction holds is unknown: none of it is kept.
			answer(err)
			return
		}
		if errs[i] = err; err == nil {
			kept++
		}
	}
	if kept == 0 {
		answer(nil)
		return
	}
	if err := tx.Commit(); err != nil {
		answer(fmt.Errorf("commit: %w", err))
		return
	}
	db.batches.Add(1)
	db.batched.Add(int64(kept))
	answer(nil)
}

// brokenTx is a failure to undo a failed write: the batch's transaction
// can no longer be trusted.
type brokenTx struct{ err error }

func (e *brokenTx) Error() string { return e.err.Error() }
func (e *brokenTx) Unwrap() error { return e.err }

// inSavepoint runs f in a savepoint of tx, undoing what f wrote if it
// fails, so the other writes of the batch are kept.
func (db *DB) inSavepoint(ctx context.Context, tx *sql.Tx, f func(context.Context, *sql.Tx) error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT write`); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	if err := f(ctx, tx); err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO write`); rerr != nil {
			return &brokenTx{errors.Join(err, fmt.Errorf("roll back to savepoint: %w", rerr))}
		}
		if _, rerr := tx.ExecContext(ctx, `RELEASE write`); rerr != nil {
			return &brokenTx{errors.Join(err, fmt.Errorf("release savepoint: %w", rerr))}
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, `RELEASE write`); err != nil {
		return &brokenTx{fmt.Errorf("release savepoint: %w", err)}
	}
	return nil
}
