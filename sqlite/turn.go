package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"policybot/bot"
)

// CommitTurn saves the session and appends the turn, with its results, in
// one transaction, and returns the turn's id. Texts and string facts are
// redacted and the user id hashed before they reach SQL.
//
// Zero times are filled in: the turn's At and the session's Updated with
// Now, the session's Started with the turn's At. The stored update time
// never goes back and is never older than the turn, so passing back the
// record LoadSession returned is fine. A session keeps the channel, user
// and start time of its first commit.
func (db *DB) CommitTurn(ctx context.Context, s bot.SessionRecord, t bot.Turn) (int64, error) {
	row, err := db.newTurnRow(s, t)
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
// and returns once that batch is committed.
func (db *DB) insertTurn(ctx context.Context, r turnRow) (id int64, err error) {
	err = db.grouped(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO conversations (id, channel, user_hash, started, updated, state)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET updated = max(updated, excluded.updated), state = excluded.state`,
			r.session, r.channel, r.userHash, r.started, r.updated, r.state,
		); err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		res, err := tx.ExecContext(ctx, `
			INSERT INTO turns (conversation_id, at, text_in, text_out, status, clauses, facts, fact_sources, latency_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.session, r.at, r.in, r.out, r.status, r.clauses, r.facts, r.factSources, r.latencyMS,
		)
		if err != nil {
			return fmt.Errorf("insert turn: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("insert turn: %w", err)
		}
		for _, v := range r.results {
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
