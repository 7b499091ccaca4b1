package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"policybot/bot"
)

// Queries for the staff console. They run on the read-only pool, so they
// never hold up a reply. Texts in them are the redacted ones.

// RecentConversations returns the limit most recently updated
// conversations, newest first, with their last status, results and
// feedback.
func (db *DB) RecentConversations(ctx context.Context, limit int) ([]bot.ConversationSummary, error) {
	// One read transaction, so the verdicts match the conversations listed.
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("recent conversations: %w", err)
	}
	defer tx.Rollback()
	list, err := recentConversations(ctx, tx, limit)
	if err != nil {
		return nil, fmt.Errorf("recent conversations: %w", err)
	}
	if err := lastResults(ctx, tx, limit, list); err != nil {
		return nil, fmt.Errorf("results of recent conversations: %w", err)
	}
	return list, nil
}

// recentConversations lists the conversations without their results.
func recentConversations(ctx context.Context, tx *sql.Tx, limit int) ([]bot.ConversationSummary, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT c.id, c.channel, c.started, c.updated,
			(SELECT count(*) FROM turns WHERE conversation_id = c.id),
			coalesce(t.text_in, ''), coalesce(t.text_out, ''), coalesce(t.status, ''),
			(SELECT count(*) FROM feedback f JOIN turns ft ON ft.id = f.turn_id
				WHERE ft.conversation_id = c.id AND f.helpful = 1),
			(SELECT count(*) FROM feedback f JOIN turns ft ON ft.id = f.turn_id
				WHERE ft.conversation_id = c.id AND f.helpful = 0)
		FROM conversations c
		LEFT JOIN turns t ON t.id = (SELECT max(id) FROM turns WHERE conversation_id = c.id)
		ORDER BY c.updated DESC, c.id
		LIMIT ?`, limit)
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
		c.Started, c.Updated = fromMillis(started), fromMillis(updated)
		list = append(list, c)
	}
	return list, rows.Err()
}

// lastResults fills in the verdicts of each listed conversation's last turn
// that gave any.
func lastResults(ctx context.Context, tx *sql.Tx, limit int, list []bot.ConversationSummary) error {
	index := make(map[string]*bot.ConversationSummary, len(list))
	for i := range list {
		index[list[i].ID] = &list[i]
	}
	rows, err := tx.QueryContext(ctx, `
		WITH recent AS (
			SELECT id FROM conversations ORDER BY updated DESC, id LIMIT ?
		), last AS (
			SELECT t.conversation_id AS conv, max(r.turn_id) AS turn
			FROM results r JOIN turns t ON t.id = r.turn_id
			WHERE t.conversation_id IN recent
			GROUP BY t.conversation_id
		)
		SELECT last.conv, r.benefit, r.doc, r.clause, r.status, r.amount
		FROM last JOIN results r ON r.turn_id = last.turn
		ORDER BY r.rowid`, limit)
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
	rows, err := db.read.QueryContext(ctx, `
		SELECT text_in, count(*), sum(status = 'no_answer'), max(at)
		FROM turns
		WHERE at >= ? AND text_in != ''
		GROUP BY text_in
		ORDER BY count(*) DESC, max(at) DESC
		LIMIT ?`, millis(since), limit)
	if err != nil {
		return nil, fmt.Errorf("top questions: %w", err)
	}
	defer rows.Close()
	var qs []bot.FrequentQuestion
	for rows.Next() {
		var q bot.FrequentQuestion
		var last int64
		if err := rows.Scan(&q.Text, &q.Count, &q.NoAnswer, &last); err != nil {
			return nil, fmt.Errorf("top questions: %w", err)
		}
		q.Last = fromMillis(last)
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("top questions: %w", err)
	}
	return qs, nil
}

// Gaps returns, newest first, at most limit turns since the given time
// that the bot could not answer (status no_answer) or whose reply a user
// marked unhelpful.
func (db *DB) Gaps(ctx context.Context, since time.Time, limit int) ([]bot.Gap, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT t.id, t.conversation_id, c.channel, t.at, t.text_in, t.text_out, t.status,
			coalesce(f.helpful = 0, 0)
		FROM turns t
		JOIN conversations c ON c.id = t.conversation_id
		LEFT JOIN feedback f ON f.turn_id = t.id
		WHERE t.at >= ? AND (t.status = 'no_answer' OR f.helpful = 0)
		ORDER BY t.at DESC, t.id DESC
		LIMIT ?`, millis(since), limit)
	if err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	defer rows.Close()
	var gaps []bot.Gap
	for rows.Next() {
		var g bot.Gap
		var at int64
		if err := rows.Scan(&g.TurnID, &g.Conversation, &g.Channel, &at, &g.In, &g.Out, &g.Status, &g.Unhelpful); err != nil {
			return nil, fmt.Errorf("gaps: %w", err)
		}
		g.At = fromMillis(at)
		gaps = append(gaps, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("gaps: %w", err)
	}
	return gaps, nil
}

// Volumes returns, per day and channel, the conversations and turns since
// the given time, days in loc, oldest day first. Days are cut at loc's UTC
// offset at since, which is exact for zones without daylight saving time,
// such as Asia/Shanghai.
func (db *DB) Volumes(ctx context.Context, since time.Time, loc *time.Location) ([]bot.Volume, error) {
	_, offset := since.In(loc).Zone()
	rows, err := db.read.QueryContext(ctx, `
		SELECT date(t.at / 1000 + ?, 'unixepoch') AS day, c.channel,
			count(DISTINCT t.conversation_id), count(*)
		FROM turns t JOIN conversations c ON c.id = t.conversation_id
		WHERE t.at >= ?
		GROUP BY day, c.channel
		ORDER BY day, c.channel`, offset, millis(since))
	if err != nil {
		return nil, fmt.Errorf("volumes: %w", err)
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
		return nil, fmt.Errorf("volumes: %w", err)
	}
	return vs, nil
}
