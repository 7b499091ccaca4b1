package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"policybot/bot"
	"policybot/record"
)

// CommitTurn saves the session and appends the turn, with its results, in
// one transaction, and returns the turn's id; texts and string facts are
// redacted and the user id hashed first (record.NewTurn). The session is
// saved only if it is still at s.Version (none stored counts as 0), and
// moves to the next version; otherwise nothing is written and the error
// wraps bot.ErrSessionChanged: another instance committed a turn of the
// session since s was loaded. A session keeps the channel, user and start
// time of its first commit, and its update time never goes back.
func (db *DB) CommitTurn(ctx context.Context, s bot.SessionRecord, t bot.Turn) (int64, error) {
	r, err := record.NewTurn(db.key, s, t, db.now())
	if err != nil {
		return 0, fmt.Errorf("commit turn of session %s: %w", s.ID, err)
	}
	var id int64
	err = db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO conversations AS c (id, channel, user_hash, started, updated, state, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7 + 1)
			ON CONFLICT (id) DO UPDATE SET
				updated = greatest(c.updated, excluded.updated), state = excluded.state, version = excluded.version
			WHERE c.version = $7`,
			r.Session, r.Channel, r.UserHash, r.Started, r.Updated, r.State, r.Version)
		if err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("save session at version %d: %w", r.Version, bot.ErrSessionChanged)
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO turns (conversation_id, at, text_in, text_out, status, clauses, facts, fact_sources, latency_ms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			r.Session, r.At, r.In, r.Out, r.Status, r.Clauses, r.Facts, r.FactSources, r.LatencyMS,
		).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert turn: %w", err)
		}
		if len(r.Results) == 0 {
			return nil
		}
		// One batch: the verdicts of a check go in one round trip.
		b := &pgx.Batch{}
		for _, v := range r.Results {
			b.Queue(`INSERT INTO results (turn_id, benefit, doc, clause, status, amount) VALUES ($1, $2, $3, $4, $5, $6)`,
				id, v.Benefit, v.Doc, v.Clause, v.Status, v.Amount)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("insert results: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("commit turn of session %s: %w", s.ID, classify(err))
	}
	return id, nil
}
