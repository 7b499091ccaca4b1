package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"policybot/bot"
)

// LoadSession returns the session with that id. It fails with an error
// wrapping bot.ErrSessionNotFound if there is none, or if it was last
// updated more than maxIdle before Now (maxIdle <= 0: no limit).
//
// The record's UserID is empty: only its keyed hash is stored, and the
// caller knows the raw id from the message it is handling.
func (db *DB) LoadSession(ctx context.Context, id string, maxIdle time.Duration) (bot.SessionRecord, error) {
	rec := bot.SessionRecord{ID: id}
	var started, updated int64
	err := db.read.QueryRowContext(ctx,
		`SELECT channel, started, updated, state, version FROM conversations WHERE id = ?`, id,
	).Scan(&rec.Channel, &started, &updated, &rec.State, &rec.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.SessionRecord{}, fmt.Errorf("load session %s: %w", id, bot.ErrSessionNotFound)
	}
	if err != nil {
		return bot.SessionRecord{}, fmt.Errorf("load session %s: %w", id, err)
	}
	rec.Started, rec.Updated = fromMillis(started), fromMillis(updated)
	if idle := db.now().Sub(rec.Updated); maxIdle > 0 && idle > maxIdle {
		return bot.SessionRecord{}, fmt.Errorf("load session %s: idle for %s: %w", id, idle.Round(time.Second), bot.ErrSessionNotFound)
	}
	return rec, nil
}
