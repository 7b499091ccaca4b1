package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"policybot/record"
)

func question(int) string { return "?" }

// loadChat returns the conversation a chat of c is in and the channel's
// state for it; an empty session and nil state if there is none, or if its
// conversation was purged.
func (db *DB) loadChat(ctx context.Context, c record.Chats, key string) (session string, state []byte, err error) {
	err = db.read.QueryRowContext(ctx, c.Load(question), db.userHash(c.Scope, key)).Scan(&session, &state)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("load %s: %w", c.Name, err)
	}
	return session, state, nil
}

// saveChat records, in tx, the conversation a chat of c is in and the
// channel's state for it after turn (record.Chats.Save says when it
// replaces). The conversation must exist: the engine commits it before it
// replies.
func (db *DB) saveChat(ctx context.Context, tx *sql.Tx, c record.Chats, key, session string, turn int64, state []byte) error {
	if state == nil {
		state = []byte{}
	}
	if _, err := tx.ExecContext(ctx, c.Save(question), db.userHash(c.Scope, key), session, turn, state, millis(db.now())); err != nil {
		return fmt.Errorf("save %s: %w", c.Name, err)
	}
	return nil
}
