package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// RecordFeedback records whether the reply of a turn helped, replacing any
// earlier feedback on it. It fails with an error wrapping ErrTurnNotFound if
// the session has no such turn (a button pressed after its turn was purged,
// or a turn of someone else's conversation).
func (db *DB) RecordFeedback(ctx context.Context, session string, turnID int64, helpful bool) error {
	// INSERT … SELECT rather than a foreign-key failure, so that a missing
	// turn is told apart from other constraint errors. The WHERE is needed
	// for SQLite to parse ON CONFLICT after a SELECT.
	var n int64
	err := db.grouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO feedback (turn_id, helpful, at)
			SELECT id, ?, ? FROM turns WHERE id = ? AND conversation_id = ?
			ON CONFLICT (turn_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
			helpful, millis(db.now()), turnID, session,
		)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return fmt.Errorf("record feedback on turn %d of session %s: %w", turnID, session, err)
	}
	if n == 0 {
		return fmt.Errorf("record feedback on turn %d of session %s: %w", turnID, session, ErrTurnNotFound)
	}
	return nil
}
