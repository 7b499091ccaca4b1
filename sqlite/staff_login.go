package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"policybot/record"
	"policybot/staff"
)

// RecordLogin logs a sign-in attempt. The name is kept only when it is an
// account's: what else people type into the name field (a phone number, an
// e-mail address, their password) is kept as a keyed hash, which still
// counts failures of the same name toward a lockout and shows as no name.
func (db *DB) RecordLogin(ctx context.Context, l staff.Login) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		name, err := db.loginName(ctx, tx, l.Name)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO staff_logins (at, name, addr, outcome) VALUES (?, ?, ?, ?)`,
			millis(l.At), name, l.Addr, string(l.Outcome))
		return err
	})
	if err != nil {
		return fmt.Errorf("record sign-in: %w", err)
	}
	return nil
}

// loginName is the form in which a typed name is stored (record.LoginName).
func (db *DB) loginName(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, typed string) (string, error) {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM staff_accounts WHERE name = ?`, typed).Scan(&one)
	switch {
	case err == nil:
		return record.LoginName(db.key, typed, true), nil
	case errors.Is(err, sql.ErrNoRows):
		return record.LoginName(db.key, typed, false), nil
	}
	return "", fmt.Errorf("look up account: %w", err)
}

// LoginFailures returns the failed attempts since the given time for name
// and from addr that came after the last success of each.
func (db *DB) LoginFailures(ctx context.Context, name, addr string, since time.Time) (staff.LoginFailures, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return staff.LoginFailures{}, fmt.Errorf("sign-in failures: %w", err)
	}
	defer tx.Rollback()
	var f staff.LoginFailures
	stored, err := db.loginName(ctx, tx, name)
	if err != nil {
		return staff.LoginFailures{}, fmt.Errorf("sign-in failures: %w", err)
	}
	if f.Name, err = failuresBy(ctx, tx, "name", stored, since); err != nil {
		return staff.LoginFailures{}, fmt.Errorf("sign-in failures of a name: %w", err)
	}
	if f.Addr, err = failuresBy(ctx, tx, "addr", addr, since); err != nil {
		return staff.LoginFailures{}, fmt.Errorf("sign-in failures from %s: %w", addr, err)
	}
	return f, nil
}

// failuresBy lists the failure times where column (name or addr, never
// user input) equals value.
func failuresBy(ctx context.Context, tx *sql.Tx, column, value string, since time.Time) ([]time.Time, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT at FROM staff_logins
		WHERE `+column+` = ? AND outcome = 'failed' AND at >= ?
			AND at > coalesce((SELECT max(at) FROM staff_logins WHERE `+column+` = ? AND outcome = 'ok'), 0)
		ORDER BY at, id`, value, millis(since), value)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []time.Time
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, fromMillis(at))
	}
	return out, rows.Err()
}

// RecentLogins returns the limit latest sign-in attempts, newest first.
func (db *DB) RecentLogins(ctx context.Context, limit int) ([]staff.Login, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT at, name, addr, outcome FROM staff_logins ORDER BY at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent sign-ins: %w", err)
	}
	defer rows.Close()
	var out []staff.Login
	for rows.Next() {
		var l staff.Login
		var at int64
		if err := rows.Scan(&at, &l.Name, &l.Addr, &l.Outcome); err != nil {
			return nil, fmt.Errorf("recent sign-ins: %w", err)
		}
		l.At, l.Name = fromMillis(at), record.ShownLoginName(l.Name)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent sign-ins: %w", err)
	}
	return out, nil
}
