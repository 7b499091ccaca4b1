package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"policybot/bot"
	"policybot/record"
)

// CommitTurn saves the session and appends the turn, with its results, in
// one transaction, and returns the turn's id. Texts and string facts are
// redacted and the user id hashed before they reach SQL.
//
// Zero times are filled in: the turn's At and the session's Updated with
// Now, the session's Started with the turn's At. The stored update time
// never goes back and is never older than the turn, so passing back the
// record LoadSession returned is fine. A session keeps the channel, user
// and start time of its first commit. The commit fails with an error
// wrapping bot.ErrSessionChanged, and writes nothing, unless the stored
// session is at s.Version (none stored counts as 0).
func (db *DB) CommitTurn(ctx context.Context, s bot.SessionRecord, t bot.Turn) (int64, error) {
	row, err := record.NewTurn(db.key, s, t, db.now())
	if err != nil {
		return 0, fmt.Errorf("commit turn of session %s: %w", s.ID, err)
	}
	id, err := db.insertTurn(ctx, row)
	if err != nil {
		return 0, fmt.Errorf("commit turn of session %s: %w", s.ID, err)
	}
	return id, nil
}

// insertTurn writes a prepared row in the next batch of the group commit
// and returns once that batch is committed. A stale version fails this
// write alone: its savepoint is undone, the batch goes on.
func (db *DB) insertTurn(ctx context.Context, r record.Turn) (id int64, err error) {
	err = db.grouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO conversations (id, channel, user_hash, started, updated, state, version)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET
				updated = max(updated, excluded.updated), state = excluded.state, version = excluded.version
			WHERE conversations.version = ?`,
			r.Session, r.Channel, r.UserHash, r.Started, r.Updated, r.State, r.Version+1, r.Version,
		)
		if err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("save session: %w", err)
		} else if n == 0 {
			return fmt.Errorf("save session at version %d: %w", r.Version, bot.ErrSessionChanged)
		}
		res, err = tx.ExecContext(ctx, `
			INSERT INTO turns (conversation_id, at, text_in, text_out, status, clauses, facts, fact_sources, latency_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Session, r.At, r.In, r.Out, r.Status, r.Clauses, r.Facts, r.FactSources, r.LatencyMS,
		)
		if err != nil {
			return fmt.Errorf("insert turn: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("insert turn: %w", err)
		}
		for _, v := range r.Results {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO results (turn_id, benefit, doc, clause, status, amount) VALUES (?, ?, ?, ?, ?, ?)`,
				id, v.Benefit, v.Doc, v.Clause, v.Status, v.Amount,
			); err != nil {
				return fmt.Errorf("insert result %q: %w", v.Benefit, err)
			}
		}
		return nil
	})
	return id, err
}
