package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"policybot/bot"
	"policybot/redact"
)

// Turn is a turn and its session as they are stored: redacted, hashed,
// encoded. Times are Unix milliseconds.
type Turn struct {
	Session, Channel, UserHash      string
	Started, Updated, At, LatencyMS int64
	// Version is the session's version the turn was taken from: the
	// commit must find the stored session there, and moves it to
	// Version+1.
	Version                     int64
	State                       []byte
	In, Out, Status             string
	Clauses, Facts, FactSources string
	Results                     []bot.Verdict
}

// NewTurn validates s and t and turns them into a row. Zero times are
// filled in: the turn's At and the session's Updated with now, the
// session's Started with the turn's At. The work is done before a
// transaction starts, so locks are held only for SQL.
func NewTurn(k *Key, s bot.SessionRecord, t bot.Turn, now time.Time) (Turn, error) {
	if s.ID == "" {
		return Turn{}, errors.New("session has no id")
	}
	if t.Session != "" && t.Session != s.ID {
		return Turn{}, fmt.Errorf("turn belongs to session %s", t.Session)
	}
	if s.Version < 0 {
		return Turn{}, fmt.Errorf("session version %d", s.Version)
	}
	r := Turn{
		Session:   s.ID,
		Channel:   firstNonEmpty(s.Channel, t.Channel),
		Version:   s.Version,
		State:     s.State,
		At:        Millis(orTime(t.At, now)),
		In:        redact.Text(t.In),
		Out:       redact.Text(t.Out),
		Status:    t.Status,
		LatencyMS: t.Latency.Milliseconds(),
		Results:   t.Results,
	}
	// A session is at least as recent as the turn being committed, even if
	// the caller passed back the Updated it loaded.
	r.Updated = max(Millis(orTime(s.Updated, now)), r.At)
	r.Started = Millis(orTime(s.Started, orTime(t.At, now)))
	r.UserHash = k.Hash(r.Channel, firstNonEmpty(s.UserID, t.UserID))
	var err error
	if r.Clauses, err = encodeJSON(t.Clauses, "[]"); err != nil {
		return Turn{}, fmt.Errorf("encode clauses: %w", err)
	}
	if r.Facts, err = encodeJSON(redactValue(t.Facts), "{}"); err != nil {
		return Turn{}, fmt.Errorf("encode facts: %w", err)
	}
	if r.FactSources, err = encodeJSON(t.FactSources, "{}"); err != nil {
		return Turn{}, fmt.Errorf("encode fact sources: %w", err)
	}
	return r, nil
}

// Times are stored as Unix milliseconds: compact, ordered, and the same
// in every engine.

// Millis converts t to its stored form.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// FromMillis converts a stored time back.
func FromMillis(ms int64) time.Time { return time.UnixMilli(ms) }

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
