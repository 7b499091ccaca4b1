package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"policybot/record"
)

// chatChannel separates the hashes of Telegram chat keys from those of user
// ids: a private chat's id is its user's id.
const chatChannel = "telegram-chat"

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
	err = db.pool.QueryRow(ctx,
		`SELECT conversation_id, state FROM telegram_chats WHERE chat_hash = $1`, db.userHash(chatChannel, key),
	).Scan(&session, &state)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("load telegram chat: %w", classify(err))
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
	_, err := db.pool.Exec(ctx, `
		INSERT INTO telegram_chats (chat_hash, conversation_id, turn, state, updated) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (chat_hash) DO UPDATE SET
			conversation_id = excluded.conversation_id, turn = excluded.turn,
			state = excluded.state, updated = excluded.updated
		WHERE telegram_chats.conversation_id <> excluded.conversation_id OR telegram_chats.turn <= excluded.turn`,
		db.userHash(chatChannel, key), session, turn, state, record.Millis(db.now()))
	if err != nil {
		return fmt.Errorf("save telegram chat: %w", classify(err))
	}
	return nil
}
