package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ErrFileGone means the database file, its WAL or its shared-memory file
// is no longer the one at its path: removed (a temp cleaner, a script) or
// replaced. SQLite would go on writing into the file it has open, which
// nothing will ever read again, so every write is refused instead and the
// server must be restarted.
var ErrFileGone = errors.New("the database file was removed or replaced under the running server; writes are refused until it restarts")

// files are the database's files as they were when it was opened.
type files struct {
	paths []string      // the database, its WAL, its shared memory
	infos []os.FileInfo // what stat said of each then
}

// noteFiles records the identity (device and inode) of the database's
// files, which the writer connection holds open in WAL mode.
func noteFiles(path string) (*files, error) {
	f := &files{paths: []string{path, path + "-wal", path + "-shm"}}
	for _, p := range f.paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("note database files: %w", err)
		}
		f.infos = append(f.infos, info)
	}
	return f, nil
}

// check reports ErrFileGone unless each path still names the file that
// was there at open. The files stay open while the database is, so their
// inodes cannot be reused by a new file at the same path.
func (f *files) check() error {
	for i, p := range f.paths {
		info, err := os.Stat(p)
		if err != nil || !os.SameFile(info, f.infos[i]) {
			return fmt.Errorf("%w: %s", ErrFileGone, p)
		}
	}
	return nil
}

// Check reports whether the database can take writes now: its files are
// still the ones at their paths, and a commit reaches the disk (it rewrites
// one row; a full disk, a read-only file or a broken one fail it). It is
// what /healthz asks. The probe is committed with the turns of its batch,
// so it asks what a turn would meet.
func (db *DB) Check(ctx context.Context) error {
	err := db.grouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO health (id, probe) VALUES (1, ?)
			ON CONFLICT (id) DO UPDATE SET probe = excluded.probe`, millis(db.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("write probe: %w", err)
	}
	return nil
}
