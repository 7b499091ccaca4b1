package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"policybot/staff"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

// Operator accounts of the hotline staff console. Passwords are kept as
// bcrypt hashes; this file is the only place that sees them in the clear.

var staffName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)

// noSuchOperator is the bcrypt hash of a password nobody has, compared
// against when the name is unknown, so that a sign-in takes as long whether
// the name exists or not.
const noSuchOperator = "$2a$10$yQjNBYigmurPkfSlAAwUFeHNPxdeM5BgMtEKCmAfmgZY31z24FOwG"

// AddStaff creates the operator account name with the password. It fails
// with ErrStaffExists if there is one already.
func (db *DB) AddStaff(ctx context.Context, name, password string) error {
	if !staffName.MatchString(name) {
		return fmt.Errorf("add operator %q: %w", name, staff.ErrName)
	}
	if len(password) < staff.MinPasswordLen || len(password) > staff.MaxPasswordLen {
		return fmt.Errorf("add operator %s: %w", name, staff.ErrPassword)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("add operator %s: %w", name, err)
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO staff_accounts (name, hash, created) VALUES (?, ?, ?)`,
			name, string(hash), millis(db.now()))
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
// wrapping ErrBadLogin if the name is unknown or the password wrong.
func (db *DB) CheckStaffPassword(ctx context.Context, name, password string) error {
	var hash string
	err := db.read.QueryRowContext(ctx, `SELECT hash FROM staff_accounts WHERE name = ?`, name).Scan(&hash)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_ = bcrypt.CompareHashAndPassword([]byte(noSuchOperator), []byte(password))
		return fmt.Errorf("check password of %q: %w", name, staff.ErrBadLogin)
	case err != nil:
		return fmt.Errorf("check password of %q: %w", name, err)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
		return fmt.Errorf("check password of %q: %w", name, staff.ErrBadLogin)
	}
	return nil
}

// StaffCount returns how many operator accounts there are.
func (db *DB) StaffCount(ctx context.Context) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM staff_accounts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count operators: %w", err)
	}
	return n, nil
}
