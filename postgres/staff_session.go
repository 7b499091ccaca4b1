package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"policybot/record"
	"policybot/staff"
)

// StartStaffSession stores a new session and deletes the sessions started
// before staleBefore, which no timeout lets live any longer.
func (db *DB) StartStaffSession(ctx context.Context, s staff.Session, staleBefore time.Time) error {
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM staff_sessions WHERE started < $1`, record.Millis(staleBefore)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO staff_sessions (id, name, started, seen, addr) VALUES ($1, $2, $3, $4, $5)`,
			s.ID, s.Name, record.Millis(s.Started), record.Millis(s.Seen), s.Addr)
		return err
	})
	if err != nil {
		return fmt.Errorf("start staff session of %s: %w", s.Name, classify(err))
	}
	return nil
}

// StaffSession returns the session with that id, or an error wrapping
// staff.ErrSessionNotFound.
func (db *DB) StaffSession(ctx context.Context, id string) (staff.Session, error) {
	s := staff.Session{ID: id}
	var started, seen int64
	err := db.pool.QueryRow(ctx, `SELECT name, started, seen, addr FROM staff_sessions WHERE id = $1`, id).
		Scan(&s.Name, &started, &seen, &s.Addr)
	if errors.Is(err, pgx.ErrNoRows) {
		return staff.Session{}, fmt.Errorf("load staff session: %w", staff.ErrSessionNotFound)
	}
	if err != nil {
		return staff.Session{}, fmt.Errorf("load staff session: %w", classify(err))
	}
	s.Started, s.Seen = record.FromMillis(started), record.FromMillis(seen)
	return s, nil
}

// TouchStaffSession records a request made with the session at the given
// time; it never moves the time back.
func (db *DB) TouchStaffSession(ctx context.Context, id string, at time.Time) error {
	_, err := db.pool.Exec(ctx, `UPDATE staff_sessions SET seen = greatest(seen, $1) WHERE id = $2`, record.Millis(at), id)
	if err != nil {
		return fmt.Errorf("touch staff session: %w", classify(err))
	}
	return nil
}

// EndStaffSession deletes the session; ending one that is gone is not an
// error.
func (db *DB) EndStaffSession(ctx context.Context, id string) error {
	if _, err := db.pool.Exec(ctx, `DELETE FROM staff_sessions WHERE id = $1`, id); err != nil {
		return fmt.Errorf("end staff session: %w", classify(err))
	}
	return nil
}
