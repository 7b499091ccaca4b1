package sqlite

import "time"

// Times are stored as Unix milliseconds: compact, ordered, and readable in
// the sqlite3 shell with datetime(x / 1000, 'unixepoch').

// millis converts t to its stored form.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts a stored time back.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms) }
