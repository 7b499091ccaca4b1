// Package sqlite stores the bot's sessions and conversation log, the
// channels' memory and the staff console's accounts in a SQLite file: the
// embedded default, for one instance. It implements bot.Store,
// telegram.Store, wechat.Store, web.StaffStore and web.Checker, as package
// postgres does for several instances; what either keeps is prepared by
// package record, and both pass the conformance suite of package storetest.
//
// The file is opened twice: one writer connection that runs every write
// transaction with BEGIN IMMEDIATE, so writers queue in Go instead of
// failing with "database is locked", and a pool of read-only connections for
// queries, which WAL lets run beside the writer. Commits are synchronous
// (synchronous=FULL), so a committed turn survives a crash of the process
// or of the machine.
//
// What reaches the file of personal data is what package record says.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"policybot/bot"
	"policybot/record"
)

// MinUserKeyLen is the shortest UserKey Open accepts: the output size of
// SHA-256, below which RFC 2104 discourages HMAC keys.
const MinUserKeyLen = record.MinKeyLen

// readConns is the size of the read-only pool; reads are short, and WAL
// lets them all run beside the writer.
const readConns = 4

// Config configures a DB.
type Config struct {
	// UserKey is the HMAC-SHA256 key under which user ids are hashed. It
	// must come from outside the database (a secret file or environment
	// variable read by main), be at least MinUserKeyLen random bytes, and
	// stay the same across restarts, or a user's conversations can no
	// longer be linked.
	UserKey []byte
	// Now returns the current time; it defaults to time.Now.
	Now func() time.Time
	// Group bounds the batches in which turns, health probes and ratings
	// are committed together.
	Group GroupCommit
}

// DB is a SQLite database holding sessions and the conversation log. It is
// safe for concurrent use.
type DB struct {
	write   *sql.DB // one connection; every transaction BEGIN IMMEDIATE
	read    *sql.DB // read-only connections for queries
	key     *record.Key
	path    string
	now     func() time.Time
	files   *files // the files opened, checked before every write
	group   *committer
	batches atomic.Int64 // transactions of the group commit
	batched atomic.Int64 // writes they held
}

var _ bot.Store = (*DB)(nil)

// ErrTurnNotFound means the session has no turn with the given id, perhaps
// because it was purged; it is bot.ErrTurnNotFound.
var ErrTurnNotFound = bot.ErrTurnNotFound

// Open opens or creates the database at path and brings its schema up to
// date.
func Open(path string, cfg Config) (*DB, error) {
	key, err := record.NewKey(cfg.UserKey)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := cfg.Group.check(); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{key: key, path: path, now: cfg.Now}
	if db.now == nil {
		db.now = time.Now
	}
	if db.write, err = openPool(path, writeOptions, 1); err != nil {
		return nil, fmt.Errorf("open %s for writing: %w", path, err)
	}
	// The writer opens the file and turns on WAL before any reader comes,
	// since a read-only connection can neither create the file nor change
	// its journal mode.
	if err := db.migrate(context.Background()); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	if err := db.checkKey(context.Background()); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if db.read, err = openPool(path, readOptions, readConns); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	if db.files, err = noteFiles(path); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.startCommitter(cfg.Group)
	return db, nil
}

// Close closes the database. The last connection to close checkpoints the
// WAL into the main file and removes it.
func (db *DB) Close() error {
	db.stopCommitter()
	rerr := db.read.Close()
	werr := db.write.Close()
	if err := errors.Join(rerr, werr); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}
