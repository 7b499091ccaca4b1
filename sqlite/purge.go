package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// purgeBatch is how many conversations one purge transaction deletes: small
// enough that a reply waiting for the writer is not held up for long.
const purgeBatch = 200

// Purge deletes the conversations last updated before the given time, with
// their turns, results and feedback, and the staff sign-in records older
// than it (they hold names and addresses), and returns how many
// conversations it deleted. It deletes in short transactions, so turns keep being committed
// meanwhile. Deleted text is overwritten in the main file (secure_delete),
// and the WAL, which still holds the old pages, is then checkpointed and
// truncated; if readers keep the checkpoint from finishing, the WAL is
// truncated at a later checkpoint instead.
func (db *DB) Purge(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for {
		n, err := db.purgeBatch(ctx, before)
		if err != nil {
			return total, fmt.Errorf("purge conversations before %s: %w", before.Format(time.RFC3339), err)
		}
		total += n
		if n < purgeBatch {
			break
		}
	}
	logins, err := db.purgeLogins(ctx, before)
	if err != nil {
		return total, fmt.Errorf("purge sign-in records before %s: %w", before.Format(time.RFC3339), err)
	}
	if total > 0 || logins > 0 {
		if _, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return total, fmt.Errorf("checkpoint after purge: %w", err)
		}
	}
	return total, nil
}

// purgeBatch deletes up to purgeBatch conversations updated before the
// given time; foreign keys cascade to their turns, results and feedback.
func (db *DB) purgeBatch(ctx context.Context, before time.Time) (n int64, err error) {
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			DELETE FROM conversations WHERE id IN (
				SELECT id FROM conversations WHERE updated < ? LIMIT ?)`,
			millis(before), purgeBatch,
		)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// purgeLogins deletes the staff sign-in records made before the given time.
func (db *DB) purgeLogins(ctx context.Context, before time.Time) (n int64, err error) {
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM staff_logins WHERE at < ?`, millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
