package sqlite

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"policybot/bot"
	"policybot/redact"
)

// turnRow is a turn and its session as they are stored: redacted, hashed,
// encoded.
type turnRow struct {
	session, channel, userHash      string
	started, updated, at, latencyMS int64
	state                           []byte
	in, out, status                 string
	clauses, facts, factSources     string
	results                         []bot.Verdict
}

// newTurnRow validates s and t and turns them into a row. The work is done
// before the transaction starts, so the writer lock is held only for SQL.
func (db *DB) newTurnRow(s bot.SessionRecord, t bot.Turn) (turnRow, error) {
	if s.ID == "" {
		return turnRow{}, errors.New("session has no id")
	}
	if t.Session != "" && t.Session != s.ID {
		return turnRow{}, fmt.Errorf("turn belongs to session %s", t.Session)
	}
	now := db.now()
	r := turnRow{
		session:   s.ID,
		channel:   firstNonEmpty(s.Channel, t.Channel),
		state:     s.State,
		at:        millis(orTime(t.At, now)),
		in:        redact.Text(t.In),
		out:       redact.Text(t.Out),
		status:    t.Status,
		latencyMS: t.Latency.Milliseconds(),
		results:   t.Results,
	}
	// A session is at least as recent as the turn being committed, even if
	// the caller passed back the Updated it loaded.
	r.updated = max(millis(orTime(s.Updated, now)), r.at)
	r.started = millis(orTime(s.Started, orTime(t.At, now)))
	r.userHash = db.userHash(r.channel, firstNonEmpty(s.UserID, t.UserID))
	var err error
	if r.clauses, err = encodeJSON(t.Clauses, "[]"); err != nil {
		return turnRow{}, fmt.Errorf("encode clauses: %w", err)
	}
	if r.facts, err = encodeJSON(redactValue(t.Facts), "{}"); err != nil {
		return turnRow{}, fmt.Errorf("encode facts: %w", err)
	}
	if r.factSources, err = encodeJSON(t.FactSources, "{}"); err != nil {
		return turnRow{}, fmt.Errorf("encode fact sources: %w", err)
	}
	return r, nil
}

// encodeJSON encodes v, or returns empty for a nil slice or map.
func encodeJSON[T any](v T, empty string) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

// firstNonEmpty returns the first of ss that is not empty.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// orTime returns t, or def if t is zero.
func orTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}
