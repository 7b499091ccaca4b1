package record

import (
	"fmt"
	"regexp"

	"golang.org/x/crypto/bcrypt"

	"policybot/staff"
)

// Operator accounts of the hotline staff console. Passwords are kept as
// bcrypt hashes; this file is the only place that sees them in the clear.

var staffName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,31}$`)

// noSuchOperator is the bcrypt hash of a password nobody has, compared
// against when the name is unknown, so that a sign-in takes as long whether
// the name exists or not.
const noSuchOperator = "$2a$10$yQjNBYigmurPkfSlAAwUFeHNPxdeM5BgMtEKCmAfmgZY31z24FOwG"

// NewStaffHash checks an operator's name and password and returns the
// hash of the password to store; errors wrap staff.ErrName or
// staff.ErrPassword.
func NewStaffHash(name, password string) (string, error) {
	if !staffName.MatchString(name) {
		return "", fmt.Errorf("add operator %q: %w", name, staff.ErrName)
	}
	if len(password) < staff.MinPasswordLen || len(password) > staff.MaxPasswordLen {
		return "", fmt.Errorf("add operator %s: %w", name, staff.ErrPassword)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("add operator %s: %w", name, err)
	}
	return string(hash), nil
}

// CheckStaffPassword returns nil if password matches the stored hash, and
// an error wrapping staff.ErrBadLogin if not or if there is no account
// (found false), taking as long either way.
func CheckStaffPassword(name, hash string, found bool, password string) error {
	if !found {
		_ = bcrypt.CompareHashAndPassword([]byte(noSuchOperator), []byte(password))
		return fmt.Errorf("check password of %q: %w", name, staff.ErrBadLogin)
	}
	if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)); err != nil {
		return fmt.Errorf("check password of %q: %w", name, staff.ErrBadLogin)
	}
	return nil
}

// UnknownNamePrefix starts the stored form of a sign-in name that is no
// account's; no account name can start with it (staff.ErrName).
const UnknownNamePrefix = "#"

// LoginName is the form in which a typed sign-in name is stored: the name
// itself if an account has it (known), else UnknownNamePrefix and its keyed
// hash. What else people type into the name field (a phone number, an
// e-mail address, their password) is so kept out of the log, yet failures
// of the same name still count toward a lockout.
func LoginName(k *Key, typed string, known bool) string {
	if known {
		return typed
	}
	return UnknownNamePrefix + k.Hash("staff-login", typed)
}

// ShownLoginName is a stored sign-in name as it is shown: "" for one that
// is no account's.
func ShownLoginName(stored string) string {
	if len(stored) > 0 && stored[:1] == UnknownNamePrefix {
		return ""
	}
	return stored
}
