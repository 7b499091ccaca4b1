package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"policybot/record"
	"time"
)

// ClaimWeChatMessage records that the WeChat message with this MsgId, from
// this OpenID, is being answered, at Now, and reports whether it was new.
// False means it was claimed before: WeChat is retrying it.
func (db *DB) ClaimWeChatMessage(ctx context.Context, msgID int64, openID string) (bool, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			`INSERT INTO wechat_messages (msg_id, chat_hash, at) VALUES (?, ?, ?) ON CONFLICT (msg_id) DO NOTHING`,
			msgID, db.userHash(record.WeChatChats.Scope, openID), millis(db.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return false, fmt.Errorf("claim wechat message %d: %w", msgID, err)
	}
	return n == 1, nil
}

// WeChatReply returns the reply a claimed message was given; ok is false
// if it has none yet, or if the message is not this OpenID's.
func (db *DB) WeChatReply(ctx context.Context, msgID int64, openID string) (reply string, ok bool, err error) {
	var r sql.NullString
	err = db.read.QueryRowContext(ctx,
		`SELECT reply FROM wechat_messages WHERE msg_id = ? AND chat_hash = ?`,
		msgID, db.userHash(record.WeChatChats.Scope, openID),
	).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("load reply to wechat message %d: %w", msgID, err)
	}
	return r.String, r.Valid, nil
}

// ForgetWeChatMessages deletes the messages claimed before the given time,
// with their replies, and returns how many it deleted.
func (db *DB) ForgetWeChatMessages(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM wechat_messages WHERE at < ?`, millis(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("forget wechat messages before %s: %w", before.Format(time.RFC3339), err)
	}
	return n, nil
}

// WeChatChat returns the conversation a follower (by OpenID) is in and the
// channel's state for it; an empty session and nil state if there is none,
// or if its conversation was purged.
func (db *DB) WeChatChat(ctx context.Context, openID string) (session string, state []byte, err error) {
	return db.loadChat(ctx, record.WeChatChats, openID)
}

func (db *DB) SaveWeChatAnswer(ctx context.Context, msgID int64, reply, openID, session string, turn int64, state []byte) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE wechat_messages SET reply = ? WHERE msg_id = ?`, reply, msgID); err != nil {
			return fmt.Errorf("save reply: %w", err)
		}
		if session == "" {
			return nil
		}
		return db.saveChat(ctx, tx, record.WeChatChats, openID, session, turn, state)
	})
	if err != nil {
		return fmt.Errorf("save answer to wechat message %d: %w", msgID, err)
	}
	return nil
}
