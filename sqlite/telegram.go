package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// chatChannel separates the hashes of Telegram chat keys from those of user
// ids: a private chat's id is its user's id.
const chatChannel = "telegram-chat"

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
	err = db.read.QueryRowContext(ctx,
		`SELECT conversation_id, state FROM telegram_chats WHERE chat_hash = ?`, db.userHash(chatChannel, key),
	).Scan(&session, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("load telegram chat: %w", err)
	}
	return session, state, nil
}

// SaveTelegramChat records the conversation a Telegram chat key is in and
// the channel's state for it after the given turn. It replaces the row
// unless that is of the same conversation at a later turn: the update
// finishing last is not always the later one. The conversation must
// exist: the engine commits it before it replies.
func (db *DB) SaveTelegramChat(ctx context.Context, key, session string, turn int64, state []byte) error {
	if state == nil {
		state = []byte{}
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO telegram_chats (chat_hash, conversation_id, turn, state, updated) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (chat_hash) DO UPDATE SET
				conversation_id = excluded.conversation_id, turn = excluded.turn,
				state = excluded.state, updated = excluded.updated
			WHERE telegram_chats.conversation_id <> excluded.conversation_id OR telegram_chats.turn <= excluded.turn`,
			db.userHash(chatChannel, key), session, turn, state, millis(db.now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("save telegram chat: %w", err)
	}
	return nil
}
