package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// inTx runs f in a write transaction and commits it if f succeeds. Every
// write goes through here, even a single statement: the DSN makes BEGIN
// IMMEDIATE, which takes the write lock first (waiting on the busy handler
// if another process has it), whereas an autocommit statement that reads
// before it writes can fail with SQLITE_BUSY_SNAPSHOT without waiting.
//
// A write is refused when the database's files are no longer the ones at
// their paths: it would be acknowledged and then lost at the next start.
func (db *DB) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if db.files != nil { // nil only while Open migrates
		if err := db.files.check(); err != nil {
			return err
		}
	}
	if err := f(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
