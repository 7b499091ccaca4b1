package postgres

import (
	"context"
	"fmt"

	"policybot/bot"
	"policybot/record"
)

// RecordFeedback records whether the reply of a turn helped, replacing any
// earlier feedback on it. It fails with an error wrapping
// bot.ErrTurnNotFound if the session has no such turn (a button pressed
// after its turn was purged, or a turn of someone else's conversation).
func (db *DB) RecordFeedback(ctx context.Context, session string, turnID int64, helpful bool) error {
	// INSERT … SELECT rather than a foreign-key failure, so that a missing
	// turn is told apart from other constraint errors.
	tag, err := db.pool.Exec(ctx, `
		INSERT INTO feedback (turn_id, helpful, at)
		SELECT id, $1, $2 FROM turns WHERE id = $3 AND conversation_id = $4
		ON CONFLICT (turn_id) DO UPDATE SET helpful = excluded.helpful, at = excluded.at`,
		helpful, record.Millis(db.now()), turnID, session)
	if err != nil {
		return fmt.Errorf("record feedback on turn %d of session %s: %w", turnID, session, classify(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("record feedback on turn %d of session %s: %w", turnID, session, bot.ErrTurnNotFound)
	}
	return nil
}
