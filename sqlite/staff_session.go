package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"policybot/staff"
)

// StartStaffSession stores a new session and deletes the sessions started
// before staleBefore, which no timeout lets live any longer.
func (db *DB) StartStaffSession(ctx context.Context, s staff.Session, staleBefore time.Time) error {
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
func (db *DB) StaffSession(ctx context.Context, id string) (staff.Session, error) {
	s := staff.Session{ID: id}
	var started, seen int64
	err := db.read.QueryRowContext(ctx, `SELECT name, started, seen, addr FROM staff_sessions WHERE id = ?`, id).
		Scan(&s.Name, &started, &seen, &s.Addr)
	if errors.Is(err, sql.ErrNoRows) {
		return staff.Session{}, fmt.Errorf("load staff session: %w", staff.ErrSessionNotFound)
	}
	if err != nil {
		return staff.Session{}, fmt.Errorf("load staff session: %w", err)
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
