package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"policybot/record"
)

// ClaimWeChatMessage records that the WeChat message with this MsgId, from
// this OpenID, is being answered, at Now, and reports whether it was new.
// False means it was claimed before, here or at another instance: WeChat
// is retrying it.
func (db *DB) ClaimWeChatMessage(ctx context.Context, msgID int64, openID string) (bool, error) {
	tag, err := db.pool.Exec(ctx,
		`INSERT INTO wechat_messages (msg_id, chat_hash, at) VALUES ($1, $2, $3) ON CONFLICT (msg_id) DO NOTHING`,
		msgID, db.userHash(record.WeChatChats.Scope, openID), record.Millis(db.now()))
	if err != nil {
		return false, fmt.Errorf("claim wechat message %d: %w", msgID, classify(err))
	}
	return tag.RowsAffected() == 1, nil
}

// WeChatReply returns the reply a claimed message was given; ok is false
// if it has none yet, or if the message is not this OpenID's.
func (db *DB) WeChatReply(ctx context.Context, msgID int64, openID string) (reply string, ok bool, err error) {
	var r *string
	err = db.pool.QueryRow(ctx,
		`SELECT reply FROM wechat_messages WHERE msg_id = $1 AND chat_hash = $2`,
		msgID, db.userHash(record.WeChatChats.Scope, openID),
	).Scan(&r)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("load reply to wechat message %d: %w", msgID, classify(err))
	}
	if r == nil {
		return "", false, nil
	}
	return *r, true, nil
}

// ForgetWeChatMessages deletes the messages claimed before the given time,
// with their replies, and returns how many it deleted.
func (db *DB) ForgetWeChatMessages(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, `DELETE FROM wechat_messages WHERE at < $1`, record.Millis(before))
	if err != nil {
		return 0, fmt.Errorf("forget wechat messages before %s: %w", before.Format(time.RFC3339), classify(err))
	}
	return tag.RowsAffected(), nil
}

// WeChatChat returns the conversation a follower (by OpenID) is in and the
// channel's state for it; an empty session and nil state if there is none,
// or if its conversation was purged.
func (db *DB) WeChatChat(ctx context.Context, openID string) (session string, state []byte, err error) {
	return db.loadChat(ctx, record.WeChatChats, openID)
}

// SaveWeChatAnswer records, in one transaction, the reply a claimed
// message was given (a msgID of 0 claims nothing) and, unless session is
// empty, the conversation the follower is in and the channel's state for
// it after the given turn. It replaces the chat's row unless that is of
// the same conversation at a later turn: the message answered last is not
// always the later one. The conversation must exist: the engine commits
// it before it replies.
func (db *DB) SaveWeChatAnswer(ctx context.Context, msgID int64, reply, openID, session string, turn int64, state []byte) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE wechat_messages SET reply = $1 WHERE msg_id = $2`, reply, msgID); err != nil {
			return fmt.Errorf("save reply: %w", err)
		}
		if session == "" {
			return nil
		}
		return db.saveChat(ctx, tx, record.WeChatChats, openID, session, turn, state)
	})
	if err != nil {
		return fmt.Errorf("save answer to wechat message %d: %w", msgID, classify(err))
	}
	return nil
}
