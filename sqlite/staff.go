package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"policybot/record"
	"policybot/staff"

	"github.com/mattn/go-sqlite3"
)

// Operator accounts of the hotline staff console; package record checks
// names and hashes passwords.

// AddStaff creates the operator account name with the password. It fails
// with staff.ErrExists if there is one already.
func (db *DB) AddStaff(ctx context.Context, name, password string) error {
	hash, err := record.NewStaffHash(name, password)
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_accounts (name, hash, created) VALUES (?, ?, ?)`,
			name, hash, millis(db.now()))
		return err
	})
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey {
		return fmt.Errorf("add operator %s: %w", name, staff.ErrExists)
	}
	if err != nil {
		return fmt.Errorf("add operator %s: %w", name, err)
	}
	return nil
}

// EnsureStaff creates the account name with the password unless it exists,
// and reports whether it did. An existing account keeps its password: the
// setting that names a first password must not reset one changed since.
func (db *DB) EnsureStaff(ctx context.Context, name, password string) (bool, error) {
	err := db.AddStaff(ctx, name, password)
	if errors.Is(err, staff.ErrExists) {
		return false, nil
	}
	return err == nil, err
}

// CheckStaffPassword returns nil if password is name's, and an error
// wrapping staff.ErrBadLogin if the name is unknown or the password wrong.
func (db *DB) CheckStaffPassword(ctx context.Context, name, password string) error {
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT hash FROM staff_accounts WHERE name = ?`, name).Scan(&hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("check password of %q: %w", name, err)
	}
	return record.CheckStaffPassword(name, hash, err == nil, password)
}

// StaffCount returns how many operator accounts there are.
func (db *DB) StaffCount(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM staff_accounts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count operators: %w", err)
	}
	return n, nil
}
