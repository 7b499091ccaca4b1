package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"policybot/bot"
	"policybot/record"
)

// Queries for the staff console. Texts in them are the redacted ones.

// RecentConversations returns the limit most recently updated
// conversations, newest first, with their last status, results and
// feedback.
func (db *DB) RecentConversations(ctx context.Context, limit int) ([]bot.ConversationSummary, error) {
	var list []bot.ConversationSummary
	// One repeatable-read transaction, so the verdicts match the
	// conversations listed.
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		if list, err = recentConversations(ctx, tx, limit); err != nil {
			return err
		}
		return lastResults(ctx, tx, limit, list)
	})
	if err != nil {
		return nil, fmt.Errorf("recent conversations: %w", classify(err))
	}
	return list, nil
}

// recentConversations lists the conversations without their results.
func recentConversations(ctx context.Context, tx pgx.Tx, limit int) ([]bot.ConversationSummary, error) {
	rows, err := tx.Query(ctx, `
		SELECT c.id, c.channel, c.started, c.updated,
			(SELECT count(*) FROM turns WHERE conversation_id = c.id),
			coalesce(t.text_in, ''), coalesce(t.text_out, ''), coalesce(t.status, ''),
			(SELECT count(*) FROM feedback f JOIN turns ft ON ft.id = f.turn_id
				WHERE ft.conversation_id = c.id AND f.helpful),
			(SELECT count(*) FROM feedback f JOIN turns ft ON ft.id = f.turn_id
				WHERE ft.conversation_id = c.id AND NOT f.helpful)
		FROM conversations c
		LEFT JOIN turns t ON t.id = (SELECT max(id) FROM turns WHERE conversation_id = c.id)
		ORDER BY c.updated DESC, c.id
		LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []bot.ConversationSummary
	for rows.Next() {
		var c bot.ConversationSummary
		var started, updated int64
		if err := rows.Scan(&c.ID, &c.Channel, &started, &updated, &c.Turns,
			&c.LastIn, &c.LastOut, &c.Status, &c.Helpful, &c.Unhelpful); err != nil {
			return nil, err
		}
		c.Started, c.Updated = record.FromMillis(started), record.FromMillis(updated)
		list = append(list, c)
	}
	return list, rows.Err()
}

// lastResults fills in the verdicts of each listed conversation's last turn
// that gave any.
func lastResults(ctx context.Context, tx pgx.Tx, limit int, list []bot.ConversationSummary) error {
	index := make(map[string]*bot.ConversationSummary, len(list))
	for i := range list {
		index[list[i].ID] = &list[i]
	}
	rows, err := tx.Query(ctx, `
		WITH recent AS (
			SELECT id FROM conversations ORDER BY updated DESC, id LIMIT $1
		), last AS (
			SELECT t.conversation_id AS conv, max(r.turn_id) AS turn
			FROM results r JOIN turns t ON t.id = r.turn_id
			WHERE t.conversation_id IN (SELECT id FROM recent)
			GROUP BY t.conversation_id
		)
		SELECT last.conv, r.benefit, r.doc, r.clause, r.status, r.amount
		FROM last JOIN results r ON r.turn_id = last.turn
		ORDER BY r.id`, limit)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var conv string
		var v bot.Verdict
		if err := rows.Scan(&conv, &v.Benefit, &v.Doc, &v.Clause, &v.Status, &v.Amount); err != nil {
			return err
		}
		if c := index[conv]; c != nil {
			c.Results = append(c.Results, v)
		}
	}
	return rows.Err()
}

// TopQuestions returns the limit user texts sent most often since the given
// time, most frequent first. Redaction makes texts that differ only in a
// phone number or the like count as one.
func (db *DB) TopQuestions(ctx context.Context, since time.Time, limit int) ([]bot.FrequentQuestion, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT text_in, count(*), count(*) FILTER (WHERE status = 'no_answer'), max(at)
		FROM turns
		WHERE at >= $1 AND text_in <> ''
		GROUP BY text_in
		ORDER BY count(*) DESC, max(at) DESC
		LIMIT $2`, record.Millis(since), limit)
	if err != nil {
		return nil, fmt.Errorf("top questions: %w", classify(err))
	}
	defer rows.Close()
	var qs []bot.FrequentQuestion
	for rows.Next() {
		var q bot.FrequentQuestion
		var last int64
		if err := rows.Scan(&q.Text, &q.Count, &q.NoAnswer, &last); err != nil {
			return nil, fmt.Errorf("top questions: %w", err)
		}
		q.Last = record.FromMillis(last)
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("top questions: %w", classify(err))
	}
	return qs, nil
}

// Gaps returns, newest first, at most limit turns since the given time
// that the bot could not answer (status no_answer) or whose reply a user
// marked unhelpful.
func (db *DB) Gaps(ctx context.Context, since time.Time, limit int) ([]bot.Gap, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT t.id, t.conversation_id, c.channel, t.at, t.text_in, t.text_out, t.status,
			coalesce(NOT f.helpful, false)
		FROM turns t
		JOIN conversations c ON c.id = t.conversation_id
		LEFT JOIN feedback f ON f.turn_id = t.id
		WHERE t.at >= $1 AND (t.status = 'no_answer' OR NOT f.helpful)
		ORDER BY t.at DESC, t.id DESC
		LIMIT $2`, record.Millis(since), limit)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", classify(err))
	}
	defer rows.Close()
	var gaps []bot.Gap
	for rows.Next() {
		var g bot.Gap
		var at int64
		if err := rows.Scan(&g.TurnID, &g.Conversation, &g.Channel, &at, &g.In, &g.Out, &g.Status, &g.Unhelpful); err != nil {
			return nil, fmt.Errorf("gaps: %w", err)
		}
		g.At = record.FromMillis(at)
		gaps = append(gaps, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gaps: %w", classify(err))
	}
	return gaps, nil
}

// Volumes returns, per day and channel, the conversations and turns since
// the given time, days in loc, oldest day first. Days are cut at loc's UTC
// offset at since, which is exact for zones without daylight saving time,
// such as Asia/Shanghai.
func (db *DB) Volumes(ctx context.Context, since time.Time, loc *time.Location) ([]bot.Volume, error) {
	_, offset := since.In(loc).Zone()
	rows, err := db.pool.Query(ctx, `
		SELECT to_char(to_timestamp(t.at / 1000 + $1) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, c.channel,
			count(DISTINCT t.conversation_id), count(*)
		FROM turns t JOIN conversations c ON c.id = t.conversation_id
		WHERE t.at >= $2
		GROUP BY day, c.channel
		ORDER BY day, c.channel`, offset, record.Millis(since))
	if err != nil {
		return nil, fmt.Errorf("volumes: %w", classify(err))
	}
	defer rows.Close()
	var vs []bot.Volume
	for rows.Next() {
		var v bot.Volume
		if err := rows.Scan(&v.Day, &v.Channel, &v.Conversations, &v.Turns); err != nil {
			return nil, fmt.Errorf("volumes: %w", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("volumes: %w", classify(err))
	}
	return vs, nil
}
