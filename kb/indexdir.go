package kb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// Where indexes are built. Every build happens in a folder of its own,
// made for it and held by its builder (a lock on ownerFile inside, kept
// while the process uses the folder): a build beside the shared index
// (<index>.building-*) is renamed into place when done, a private copy
// (privatePattern in the temporary folder) is used and removed on Close.
// A folder whose owner is gone (killed mid-build, or while serving from a
// private copy) is removed by the next process that opens an index.
const (
	ownerFile      = "owner.lock"
	buildingSuffix = ".building-"
	privatePattern = "policybot-index-"
	// lockWait bounds the wait for the lock on the shared index's place;
	// a process that cannot have it serves from the copy it built.
	lockWait = 5 * time.Second
	// orphanAge: a folder without an owner file this old is a leftover of
	// an older version (which may still be serving from it: hence a day)
	// or of a build that died before locking.
	orphanAge = 24 * time.Hour
)

// buildFolder is a folder an index is built in, held by this process.
type buildFolder struct {
	dir   string // the folder
	owner *flock.Flock
}

// newBuildFolder makes a folder in parent named pattern* and takes its
// owner lock.
func newBuildFolder(parent, pattern string) (*buildFolder, error) {
	dir, err := os.MkdirTemp(parent, pattern)
	if err != nil {
		return nil, fmt.Errorf("create index build folder: %w", err)
	}
	owner := flock.New(filepath.Join(dir, ownerFile))
	if ok, err := owner.TryLock(); err != nil || !ok {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("lock index build folder %s: %v", dir, err)
	}
	return &buildFolder{dir: dir, owner: owner}, nil
}

// index is where the index goes inside the folder.
func (b *buildFolder) index() string { return filepath.Join(b.dir, "index") }

// remove deletes the folder and lets its lock go.
func (b *buildFolder) remove() error {
	err := os.RemoveAll(b.dir)
	b.owner.Close()
	return err
}

// removeOrphans deletes the build folders in parent matching pattern* whose
// owner is gone: their owner lock is free, or, without an owner file, they
// are older than orphanAge. It is best effort: a folder that cannot be
// removed now is tried again at the next start.
func removeOrphans(parent, pattern string) {
	matches, _ := filepath.Glob(filepath.Join(parent, pattern+"*"))
	for _, dir := range matches {
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() {
			continue
		}
		lockPath := filepath.Join(dir, ownerFile)
		if _, err := os.Stat(lockPath); errors.Is(err, os.ErrNotExist) {
			if time.Since(info.ModTime()) > orphanAge {
				os.RemoveAll(dir)
			}
			continue
		}
		owner := flock.New(lockPath)
		if ok, err := owner.TryLock(); err == nil && ok {
			os.RemoveAll(dir)
		}
		owner.Close()
	}
}

// lockPlace takes the lock on the shared index's place, dir + ".lock",
// waiting at most lockWait; ok is false when another process keeps it.
func lockPlace(dir string) (lock *flock.Flock, ok bool, err error) {
	lock = flock.New(dir + ".lock")
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err = lock.TryLockContext(ctx, 20*time.Millisecond)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, false, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	if !ok {
		lock.Close()
		return nil, false, nil
	}
	return lock, true, nil
}
