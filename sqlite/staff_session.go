package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ErrStaffSessionNotFound means there is no staff session with that id: it
// never existed, ended, or was removed as expired.
var ErrStaffSessionNotFound = errors.New("staff session not found")

// StaffSession is an operator's signed-in session. Its ID is a hash of the
// token in the operator's cookie, never the token itself; the caller
// decides when a session has expired.
type StaffSession struct {
	ID      string
	Name    string // the operator
	Started time.Time
	Seen    time.Time // the last request made with it
	Addr    string    // the address it was started from
}

// StartStaffSession stores a new session and deletes the sessions started
// before staleBefore, which no timeout lets live any longer.
func (db *DB) StartStaffSession(ctx context.Context, s StaffSession, staleBefore time.Time) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE started < ?`, millis(staleBefore)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_sessions (id, name, started, seen, addr) VALUES (?, ?, ?, ?, ?)`,
			s.ID, s.Name, millis(s.Started), millis(s.Seen), s.Addr)
		return err
	})
	if err != nil {
		return fmt.Errorf("start staff session of %s: %w", s.Name, err)
	}
	return nil
}

// StaffSession returns the session with that id, or an error wrapping
// ErrStaffSessionNotFound.
func (db *DB) StaffSession(ctx context.Context, id string) (StaffSession, error) {
	s := StaffSession{ID: id}
	var started, seen int64
	err := db.read.QueryRowContext(ctx, `SELECT name, started, seen, addr FROM staff_sessions WHERE id = ?`, id).
		Scan(&s.Name, &started, &seen, &s.Addr)
	if errors.Is(err, sql.ErrNoRows) {
		return StaffSession{}, fmt.Errorf("load staff session: %w", ErrStaffSessionNotFound)
	}
	if err != nil {
		return StaffSession{}, fmt.Errorf("load staff session: %w", err)
	}
	s.Started, s.Seen = fromMillis(started), fromMillis(seen)
	return s, nil
}

// TouchStaffSession records a request made with the session at the given
// time; it never moves the time back.
func (db *DB) TouchStaffSession(ctx context.Context, id string, at time.Time) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE staff_sessions SET seen = max(seen, ?) WHERE id = ?`, millis(at), id)
		return err
	})
	if err != nil {
		return fmt.Errorf("touch staff session: %w", err)
	}
	return nil
}

// EndStaffSession deletes the session; ending one that is gone is not an
// error.
func (db *DB) EndStaffSession(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM staff_sessions WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("end staff session: %w", err)
	}
	return nil
}
