package postgres

import (
	"context"
	"fmt"

	"policybot/record"
)

// Check reports whether the database takes writes now: it rewrites one row
// (a server that is down, read-only or out of disk fails it). It is what
// /healthz asks; an unreachable server's error wraps bot.ErrUnavailable.
func (db *DB) Check(ctx context.Context) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO health (id, probe) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET probe = greatest(health.probe, excluded.probe)`, record.Millis(db.now()))
	if err != nil {
		return fmt.Errorf("write probe: %w", classify(err))
	}
	return nil
}
