package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"policybot/record"
)

func dollar(n int) string { return "$" + strconv.Itoa(n) }

// loadChat returns the conversation a chat of c is in and the channel's
// state for it; an empty session and nil state if there is none, or if its
// conversation was purged.
func (db *DB) loadChat(ctx context.Context, c record.Chats, key string) (session string, state []byte, err error) {
	err = db.pool.QueryRow(ctx, c.Load(dollar), db.userHash(c.Scope, key)).Scan(&session, &state)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, nil
	}
	if err != nil {
		return "", nil, fmt.Errorf("load %s: %w", c.Name, classify(err))
	}
	return session, state, nil
}

// execer runs a statement: the pool, or a transaction.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// saveChat records, through x, the conversation a chat of c is in and the
// channel's state for it after turn (record.Chats.Save says when it
// replaces). The conversation must exist: the engine commits it before it
// replies.
func (db *DB) saveChat(ctx context.Context, x execer, c record.Chats, key, session string, turn int64, state []byte) error {
	if state == nil {
		state = []byte{}
	}
	if _, err := x.Exec(ctx, c.Save(dollar), db.userHash(c.Scope, key), session, turn, state, record.Millis(db.now())); err != nil {
		return fmt.Errorf("save %s: %w", c.Name, err)
	}
	return nil
}
