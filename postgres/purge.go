package postgres

import (
	"context"
	"fmt"
	"time"

	"policybot/record"
)

// purgeBatch is how many conversations one purge statement deletes: small
// enough that no turn waits long behind its locks.
const purgeBatch = 200

// Purge deletes the conversations last updated before the given time, with
// their turns, results, feedback and chat rows, and the staff sign-in
// records older than it (they hold names and addresses), and returns how
// many conversations it deleted. It deletes in short transactions, so
// turns keep being committed meanwhile. PostgreSQL's VACUUM reclaims the
// space later; deleted rows are not overwritten at once, as SQLite's
// secure_delete does.
func (db *DB) Purge(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for {
		tag, err := db.pool.Exec(ctx, `
			DELETE FROM conversations WHERE id IN (
				SELECT id FROM conversations WHERE updated < $1 LIMIT $2)`,
			record.Millis(before), purgeBatch)
		if err != nil {
			return total, fmt.Errorf("purge conversations before %s: %w", before.Format(time.RFC3339), classify(err))
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < purgeBatch {
			break
		}
	}
	if _, err := db.pool.Exec(ctx, `DELETE FROM staff_logins WHERE at < $1`, record.Millis(before)); err != nil {
		return total, fmt.Errorf("purge sign-in records before %s: %w", before.Format(time.RFC3339), classify(err))
	}
	return total, nil
}
