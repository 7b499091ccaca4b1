package sqlite

import (
	"context"
	"database/sql"
	"errors"
)

// checkKey records the user key's fingerprint on first open and refuses a
// key whose fingerprint differs from the one recorded.
func (db *DB) checkKey(ctx context.Context) error {
	var stored string
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'user_key_fingerprint'`).Scan(&stored)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		stored = db.key.Fingerprint()
		_, err = tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ('user_key_fingerprint', ?)`, stored)
		return err
	})
	if err != nil {
		return err
	}
	return db.key.CheckFingerprint(stored)
}

// userHash returns the stored form of an id of the given channel or scope.
func (db *DB) userHash(channel, id string) string { return db.key.Hash(channel, id) }
