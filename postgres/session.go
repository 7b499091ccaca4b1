package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"policybot/bot"
	"policybot/record"
)

// LoadSession returns the session with that id, at the version it is
// stored at. It fails with an error wrapping bot.ErrSessionNotFound if
// there is none, or if it was last updated more than maxIdle before Now
// (maxIdle <= 0: no limit). The record's UserID is empty: only its keyed
// hash is stored.
func (db *DB) LoadSession(ctx context.Context, id string, maxIdle time.Duration) (bot.SessionRecord, error) {
	rec := bot.SessionRecord{ID: id}
	var started, updated int64
	err := db.pool.QueryRow(ctx,
		`SELECT channel, started, updated, state, version FROM conversations WHERE id = $1`, id,
	).Scan(&rec.Channel, &started, &updated, &rec.State, &rec.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.SessionRecord{}, fmt.Errorf("load session %s: %w", id, bot.ErrSessionNotFound)
	}
	if err != nil {
		return bot.SessionRecord{}, fmt.Errorf("load session %s: %w", id, classify(err))
	}
	rec.Started, rec.Updated = record.FromMillis(started), record.FromMillis(updated)
	if idle := db.now().Sub(rec.Updated); maxIdle > 0 && idle > maxIdle {
		return bot.SessionRecord{}, fmt.Errorf("load session %s: idle for %s: %w", id, idle.Round(time.Second), bot.ErrSessionNotFound)
	}
	return rec, nil
}
