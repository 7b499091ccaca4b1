package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"policybot/record"
	"time"
)

// ClaimTelegramUpdate records that the Telegram update with this id is
// being handled, at Now, and reports whether it was new. False means it was
// claimed before: a duplicate, or a redelivery after a restart.
func (db *DB) ClaimTelegramUpdate(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`INSERT INTO telegram_updates (update_id, at) VALUES (?, ?) ON CONFLICT (update_id) DO NOTHING`,
			id, millis(db.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim telegram update %d: %w", id, err)
	}
	return n == 1, nil
}

// ForgetTelegramUpdates deletes the ids of updates claimed before the given
// time and returns how many it deleted.
func (db *DB) ForgetTelegramUpdates(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM telegram_updates WHERE at < ?`, millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("forget telegram updates before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// TelegramChat returns the conversation a Telegram chat key is in and the
// channel's state for it; an empty session and nil state if there is none,
// or if its conversation was purged.
func (db *DB) TelegramChat(ctx context.Context, key string) (session string, state []byte, err error) {
	return db.loadChat(ctx, record.TelegramChats, key)
}

// SaveTelegramChat records the conversation a Telegram chat key is in and
// the channel's state for it after the given turn, unless the row is of
// the same conversation at a later turn (record.Chats.Save).
func (db *DB) SaveTelegramChat(ctx context.Context, key, session string, turn int64, state []byte) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		return db.saveChat(ctx, tx, record.TelegramChats, key, session, turn, state)
	})
}
