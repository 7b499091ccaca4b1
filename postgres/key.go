package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// checkKey records the user key's fingerprint when the database is new and
// refuses a key whose fingerprint differs from the one recorded. Instances
// starting together with different keys: the first to insert wins, and the
// others are refused.
func (db *DB) checkKey(ctx context.Context) error {
	var stored string
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (name, value) VALUES ('user_key_fingerprint', $1)
			ON CONFLICT (name) DO NOTHING`, db.key.Fingerprint()); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT value FROM settings WHERE name = 'user_key_fingerprint'`).Scan(&stored)
	})
	if err != nil {
		return fmt.Errorf("check the user key: %w", classify(err))
	}
	return db.key.CheckFingerprint(stored)
}

// userHash returns the stored form of an id of the given channel or scope.
func (db *DB) userHash(channel, id string) string { return db.key.Hash(channel, id) }
