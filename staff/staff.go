// Package staff is the hotline console's domain: the operators who sign in,
// their sessions and their sign-in attempts. The SQLite adapter stores
// them; the web console uses them.
package staff

import (
	"errors"
	"fmt"
	"time"
)

// Bounds of an operator's password. bcrypt reads no more than 72 bytes, so
// a longer password would be silently cut; it is refused instead.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 72
)

// Errors of staff accounts and sessions.
var (
	ErrExists   = errors.New("an operator of that name exists")
	ErrName     = errors.New("an operator name is 1 to 32 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
	ErrPassword = fmt.Errorf("a password is %d to %d bytes long", MinPasswordLen, MaxPasswordLen)
	// ErrBadLogin is a sign-in with an unknown name or a wrong password:
	// callers must not tell the two apart to the person signing in.
	ErrBadLogin = errors.New("wrong name or password")
	// ErrSessionNotFound means there is no session with that id: it never
	// existed, ended, or was removed as expired.
	ErrSessionNotFound = errors.New("staff session not found")
)

// Session is an operator's signed-in session. Its ID is a hash of the
// token in the operator's cookie, never the token itself; the caller
// decides when a session has expired.
type Session struct {
	ID      string
	Name    string // the operator
	Started time.Time
	Seen    time.Time // the last request made with it
	Addr    string    // the address it was started from
}

// LoginOutcome is how a sign-in attempt ended.
type LoginOutcome string

// Outcomes of a sign-in attempt.
const (
	LoginOK     LoginOutcome = "ok"
	LoginFailed LoginOutcome = "failed" // unknown name or wrong password
	LoginLocked LoginOutcome = "locked" // refused unchecked: too many failures
)

// Login is one sign-in attempt at the staff console.
type Login struct {
	At time.Time
	// Name is the account's name as typed; the store keeps it only when an
	// account has it, and returns "" for any other.
	Name    string
	Addr    string // the client's address
	Outcome LoginOutcome
}

// LoginFailures are the failed attempts that count toward a lockout, oldest
// first: those for a name, and those from an address, each since the last
// success of that name or from that address.
type LoginFailures struct {
	Name []time.Time
	Addr []time.Time
}
