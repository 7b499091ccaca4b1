// Package storetest is the conformance suite of the database adapters:
// every behaviour the domain packages rely on, run against a real engine.
// Package sqlite runs it on a file, package postgres on a fresh database of
// a real server; a test that opens the database twice plays two instances
// sharing it.
package storetest

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store"
)

// Opener opens the test's database as one more instance, with the given
// user key and clock (time.Now if nil); every call in one test opens the
// same database. A store it returns is closed when the test ends.
type Opener func(t *testing.T, key []byte, now func() time.Time) (store.Store, error)

// mustOpen opens one more instance or fails the test.
func mustOpen(t *testing.T, open Opener, key []byte, now func() time.Time) store.Store {
	t.Helper()
	db, err := open(t, key, now)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

// Key is a user key of the minimum length; OtherKey another.
var (
	Key      = bytes.Repeat([]byte{0x5a}, 32)
	OtherKey = bytes.Repeat([]byte{0xa5}, 32)
)

// Run runs every test of the suite; fresh makes a new empty database for
// one test and returns its Opener.
func Run(t *testing.T, fresh func(t *testing.T) Opener) {
	tests := []struct {
		name string
		f    func(t *testing.T, open Opener)
	}{
		{"LoadSession", testLoadSession},
		{"LoadSessionNotFound", testLoadSessionNotFound},
		{"CommitTurnKeepsFirstSession", testCommitTurnKeepsFirstSession},
		{"CommitTurnRejects", testCommitTurnRejects},
		{"CommitTurnVersion", testCommitTurnVersion},
		{"CommitTurnConcurrentInstances", testCommitTurnConcurrentInstances},
		{"RecordFeedback", testRecordFeedback},
		{"RecentConversations", testRecentConversations},
		{"TopQuestions", testTopQuestions},
		{"Gaps", testGaps},
		{"Volumes", testVolumes},
		{"Staff", testStaff},
		{"StaffSessions", testStaffSessions},
		{"LoginFailuresAcrossInstances", testLoginFailuresAcrossInstances},
		{"LoginNamesKeptOnlyForAccounts", testLoginNamesKeptOnlyForAccounts},
		{"TelegramUpdatesClaimedOnce", testTelegramUpdatesClaimedOnce},
		{"TelegramChat", testTelegramChat},
		{"WeChatMessagesClaimedOnce", testWeChatMessagesClaimedOnce},
		{"WeChatChat", testWeChatChat},
		{"ChatKeepsLaterTurn", testChatKeepsLaterTurn},
		{"ChatNewConversationReplaces", testChatNewConversationReplaces},
		{"ChatConcurrentSaves", testChatConcurrentSaves},
		{"Purge", testPurge},
		{"Check", testCheck},
		{"Exclusive", testExclusive},
		{"KeyFingerprint", testKeyFingerprint},
		{"OpenConcurrently", testOpenConcurrently},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.f(t, fresh(t)) })
	}
}

// Clock is a settable time source.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at 09:00 on a day of the notice's period, in
// Chongqing's time.
func NewClock() *Clock { return &Clock{t: time.Date(2022, 6, 2, 9, 0, 0, 0, Shanghai)} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Shanghai is Chongqing's time zone, fixed so tests need no tzdata.
var Shanghai = time.FixedZone("CST", 8*3600)

// Context ends with the test or after a minute, so no test can hang on
// the database.
func Context(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// SampleTurn returns a turn of session id with the given user text.
func SampleTurn(id, in string) (bot.SessionRecord, bot.Turn) {
	s := bot.SessionRecord{ID: id, Channel: "web", UserID: "visitor-42", State: []byte(`{"step":"ask_age"}`)}
	t := bot.Turn{
		Session: id, Channel: "web", UserID: "visitor-42",
		In: in, Out: "根据渝人社发〔2022〕9号，可申请一次性吸纳就业补贴2000元/人。",
		Status:  "answered",
		Clauses: []bot.ClauseRef{{Doc: "cq-2022-employment-measures", Clause: 3}},
		Latency: 120 * time.Millisecond,
	}
	return s, t
}

// commitNext commits a turn of s at whatever version s is stored at, as
// the engine does after loading it.
func commitNext(ctx context.Context, db store.Store, s bot.SessionRecord, t bot.Turn) (int64, error) {
	if cur, err := db.LoadSession(ctx, s.ID, 0); err == nil {
		s.Version = cur.Version
	}
	return db.CommitTurn(ctx, s, t)
}

// mustCommit is commitNext that fails the test on an error.
func mustCommit(t *testing.T, db store.Store, s bot.SessionRecord, tr bot.Turn) int64 {
	t.Helper()
	id, err := commitNext(Context(t), db, s, tr)
	if err != nil {
		t.Fatalf("commit turn of %s: %v", s.ID, err)
	}
	return id
}

// turnsOf counts the turns of a session, as the console lists them.
func turnsOf(t *testing.T, db store.Store, session string) int {
	t.Helper()
	list, err := db.RecentConversations(Context(t), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == session {
			return c.Turns
		}
	}
	return 0
}
