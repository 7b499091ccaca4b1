package postgres

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"
)

// lockKey is the advisory lock key of a job: a hash of its name, in a
// space of policybot's own so other users of the database are not hit.
func lockKey(job string) int64 {
	h := fnv.New64a()
	h.Write([]byte("policybot:" + job))
	return int64(h.Sum64())
}

// lockCheck is how often a held lock's connection is checked: a lock whose
// connection broke (the server restarted) may since be another's.
const lockCheck = 5 * time.Second

// Exclusive runs f unless another process sharing the database is running
// the job, and reports whether f ran. The job's lock is a session-level
// advisory lock on a connection taken from the pool for as long as f runs;
// the server releases it when that connection ends, so an instance that
// dies never leaves a job locked. f's context ends if the connection
// breaks, since the lock is then no longer this process's.
func (db *DB) Exclusive(ctx context.Context, job string, f func(context.Context) error) (bool, error) {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("lock job %s: %w", job, classify(err))
	}
	key := lockKey(job)
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		conn.Release()
		return false, fmt.Errorf("lock job %s: %w", job, classify(err))
	}
	if !got {
		conn.Release()
		return false, nil
	}
	jobCtx, cancel := context.WithCancel(ctx)
	var lost error // set by the watcher before it ends
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		t := time.NewTicker(lockCheck)
		defer t.Stop()
		for {
			select {
			case <-jobCtx.Done():
				return
			case <-t.C:
				pingCtx, done := context.WithTimeout(jobCtx, connectTimeout)
				err := conn.Ping(pingCtx)
				done()
				if err != nil && jobCtx.Err() == nil {
					lost = fmt.Errorf("lost the lock of job %s: %w", job, classify(err))
					cancel()
					return
				}
			}
		}
	}()
	err = f(jobCtx)
	cancel()
	<-watched
	if lost == nil {
		// Unlock and give the connection back; if unlocking fails, close
		// it, which unlocks too.
		unlockCtx, done := context.WithTimeout(context.WithoutCancel(ctx), connectTimeout)
		_, uerr := conn.Exec(unlockCtx, `SELECT pg_advisory_unlock($1)`, key)
		done()
		if uerr != nil {
			conn.Conn().Close(context.Background())
		}
	} else {
		conn.Conn().Close(context.Background())
	}
	conn.Release()
	if err == nil {
		err = lost
	}
	return true, err
}
