package postgres

import (
	"context"
	"fmt"
	"time"

	"policybot/record"
)

// ClaimTelegramUpdate records that the Telegram update with this id is
// being handled, at Now, and reports whether it was new. False means it was
// claimed before, here or at another instance: a duplicate, or a
// redelivery.
func (db *DB) ClaimTelegramUpdate(ctx context.Context, id int64) (bool, error) {
	tag, err := db.pool.Exec(ctx,
		`INSERT INTO telegram_updates (update_id, at) VALUES ($1, $2) ON CONFLICT (update_id) DO NOTHING`,
		id, record.Millis(db.now()))
	if err != nil {
		return false, fmt.Errorf("claim telegram update %d: %w", id, classify(err))
	}
	return tag.RowsAffected() == 1, nil
}

// ForgetTelegramUpdates deletes the ids of updates claimed before the given
// time and returns how many it deleted.
func (db *DB) ForgetTelegramUpdates(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM telegram_updates WHERE at < $1`, record.Millis(before))
	if err != nil {
		return 0, fmt.Errorf("forget telegram updates before %s: %w", before.Format(time.RFC3339), classify(err))
	}
	return tag.RowsAffected(), nil
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
	return classify(db.saveChat(ctx, db.pool, record.TelegramChats, key, session, turn, state))
}
