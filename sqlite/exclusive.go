package sqlite

import (
	"context"
	"fmt"
	"regexp"

	"github.com/gofrs/flock"
)

// jobName is what Exclusive takes as a job's name: it becomes part of a
// file name.
var jobName = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

// Exclusive runs f unless another process (or another DB of this one) on
// the same file is running the job: a lock file beside the database,
// DATABASE.JOB.lock, held with flock while f runs, says so. It reports
// whether f ran. The operating system releases the lock of a process that
// dies, so a crash never leaves a job locked.
func (db *DB) Exclusive(ctx context.Context, job string, f func(context.Context) error) (bool, error) {
	if !jobName.MatchString(job) {
		return false, fmt.Errorf("exclusive job %q: want 1-64 of a-z, 0-9 and -", job)
	}
	lock := flock.New(db.path + "." + job + ".lock")
	ok, err := lock.TryLock()
	if err != nil {
		return false, fmt.Errorf("lock job %s: %w", job, err)
	}
	if !ok {
		return false, nil
	}
	defer lock.Close()
	return true, f(ctx)
}
