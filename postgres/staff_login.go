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

// RecordLogin logs a sign-in attempt, with the name as record.LoginName
// keeps it. Every instance records into the same table, so a lockout
// counts the failures made at any of them.
func (db *DB) RecordLogin(ctx context.Context, l staff.Login) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO staff_logins (at, name, addr, outcome)
		SELECT $1, CASE WHEN EXISTS (SELECT 1 FROM staff_accounts WHERE name = $2) THEN $2 ELSE $3 END, $4, $5`,
		record.Millis(l.At), l.Name, record.LoginName(db.key, l.Name, false), l.Addr, string(l.Outcome))
	if err != nil {
		return fmt.Errorf("record sign-in: %w", classify(err))
	}
	return nil
}

// loginName is the form in which a typed name is stored (record.LoginName).
func (db *DB) loginName(ctx context.Context, tx pgx.Tx, typed string) (string, error) {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM staff_accounts WHERE name = $1`, typed).Scan(&one)
	switch {
	case err == nil:
		return record.LoginName(db.key, typed, true), nil
	case errors.Is(err, pgx.ErrNoRows):
		return record.LoginName(db.key, typed, false), nil
	}
	return "", fmt.Errorf("look up account: %w", err)
}

// LoginFailures returns the failed attempts since the given time for name
// and from addr that came after the last success of each.
func (db *DB) LoginFailures(ctx context.Context, name, addr string, since time.Time) (staff.LoginFailures, error) {
	var f staff.LoginFailures
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		stored, err := db.loginName(ctx, tx, name)
		if err != nil {
			return err
		}
		if f.Name, err = failuresBy(ctx, tx, "name", stored, since); err != nil {
			return fmt.Errorf("of a name: %w", err)
		}
		if f.Addr, err = failuresBy(ctx, tx, "addr", addr, since); err != nil {
			return fmt.Errorf("from %s: %w", addr, err)
		}
		return nil
	})
	if err != nil {
		return staff.LoginFailures{}, fmt.Errorf("sign-in failures: %w", classify(err))
	}
	return f, nil
}

// failuresBy lists the failure times where column (name or addr, never
// user input) equals value.
func failuresBy(ctx context.Context, tx pgx.Tx, column, value string, since time.Time) ([]time.Time, error) {
	rows, err := tx.Query(ctx, `
		SELECT at FROM staff_logins
		WHERE `+column+` = $1 AND outcome = 'failed' AND at >= $2
			AND at > coalesce((SELECT max(at) FROM staff_logins WHERE `+column+` = $1 AND outcome = 'ok'), 0)
		ORDER BY at, id`, value, record.Millis(since))
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
		out = append(out, record.FromMillis(at))
	}
	return out, rows.Err()
}

// RecentLogins returns the limit latest sign-in attempts, newest first.
func (db *DB) RecentLogins(ctx context.Context, limit int) ([]staff.Login, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT at, name, addr, outcome FROM staff_logins ORDER BY at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent sign-ins: %w", classify(err))
	}
	defer rows.Close()
	var out []staff.Login
	for rows.Next() {
		var l staff.Login
		var at int64
		var outcome string
		if err := rows.Scan(&at, &l.Name, &l.Addr, &outcome); err != nil {
			return nil, fmt.Errorf("recent sign-ins: %w", err)
		}
		l.At, l.Name, l.Outcome = record.FromMillis(at), record.ShownLoginName(l.Name), staff.LoginOutcome(outcome)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("recent sign-ins: %w", classify(err))
	}
	return out, nil
}
