package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// RecordFeedback records whether the reply of a turn helped, replacing any
// earlier feedback on it. It fails with an error wrapping ErrTurnNotFound if
// the turn does not exist (a button pressed after its turn was purged).
func (db *DB) RecordFeedback(ctx context.Context, turnID int64, helpful bool) error {
	// INSERT … SELECT rather than a foreign-key failure, so that a missing
	// turn is told apart from other constraint errors. The WHERE is needed
	// for SQLite to parse ON CONFLICT after a SELECT.
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO feedback (turn_id, helpful, at)
			SELECT id, ?, ? FROM turns WHERE id = ?
			ON CONFLICT (turn_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
			helpful, millis(db.now()), turnID,
		)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("record feedback on turn %d: %w", turnID, err)
	}
	if n == 0 {
		return fmt.Errorf("record feedback on turn %d: %w", turnID, ErrTurnNotFound)
	}
	return nil
}
