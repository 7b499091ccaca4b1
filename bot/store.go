package bot

import (
	"context"
	"errors"
	"time"
)

// SessionRecord is a conversation's persisted state. State is the engine's
// own JSON; the store keeps it opaque.
type SessionRecord struct {
	ID      string
	Channel string // "cli", "web", "telegram", "wechat", "staff", "api"
	UserID  string // the channel's raw user id; stores must never persist it raw
	Started time.Time
	Updated time.Time
	State   []byte
	// Version counts the commits of the session: LoadSession returns it,
	// and CommitTurn refuses the record unless the stored session is still
	// at that version (0: there must be none yet). That is what keeps two
	// turns of one session taken by two instances at once from both
	// starting from the same state.
	Version int64
}

// ClauseRef names a clause of a notice.
type ClauseRef struct {
	Doc    string `json:"doc"`
	Clause int    `json:"clause"`
}

// Verdict is one benefit's eligibility outcome as logged.
type Verdict struct {
	Benefit, Doc string
	Clause       int
	Status       string // eligible|possible|ineligible|expired
	Amount       string
}

// Turn is one exchange: what the user sent and what the bot replied.
type Turn struct {
	Session     string
	Channel     string
	UserID      string
	At          time.Time
	In, Out     string            // raw texts; stores redact them
	Status      string            // answered|no_answer|asking|result|error
	Clauses     []ClauseRef       // clauses the reply cited
	Facts       map[string]any    // facts learnt in this turn
	FactSources map[string]string // fact key -> "text"|"button"|"llm"|"api"
	Results     []Verdict         // eligibility outcomes given in this turn
	Latency     time.Duration     // time from receiving In to having Out
}

// ErrSessionNotFound means there is no session with that id, or it was idle
// too long to be resumed.
var ErrSessionNotFound = errors.New("session not found")

// ErrSessionChanged means a turn was committed to the session since the
// record being committed was loaded, by another instance sharing the
// database: the turn must be taken again from the session as it is now.
var ErrSessionChanged = errors.New("session changed since it was loaded")

// ErrUnavailable means the store cannot be reached (the database server
// is down or restarting): the message was not handled and may be sent
// again shortly.
var ErrUnavailable = errors.New("the conversation store cannot be reached")

// Store persists sessions and the conversation log.
type Store interface {
	// LoadSession returns the session with that id, or an error wrapping
	// ErrSessionNotFound if there is none or it was last updated more than
	// maxIdle ago; a maxIdle of zero or less means no idle limit.
	LoadSession(ctx context.Context, id string, maxIdle time.Duration) (SessionRecord, error)
	// CommitTurn saves the session and appends the turn in one transaction;
	// a reply is sent only after it returns nil. It fails with an error
	// wrapping ErrSessionChanged, committing nothing, unless the stored
	// session is at s.Version (none stored for 0), and moves it to the next.
	CommitTurn(ctx context.Context, s SessionRecord, t Turn) (turnID int64, err error)
	// RecordFeedback records whether the user found the reply of a turn of
	// a session helpful, or returns an error wrapping ErrTurnNotFound when
	// the session has no such turn: turn ids are sequential, so a turn
	// alone would let anyone rate anyone's replies.
	RecordFeedback(ctx context.Context, session string, turnID int64, helpful bool) error
}

// ErrTurnNotFound means the session has no turn of that id: it never had,
// or it was purged.
var ErrTurnNotFound = errors.New("turn not found")
