// Package postgres stores the bot's sessions and conversation log, the
// channels' memory and the staff console's accounts in PostgreSQL, through
// pgx, so that any number of instances serve as one. It implements what
// package sqlite does (bot.Store, telegram.Store, wechat.Store,
// web.StaffStore, web.Checker), from the same rows (package record), and
// passes the same conformance suite (package storetest).
//
// What several instances need of it: a turn is committed only if its
// session is still at the version it was taken from (bot.ErrSessionChanged
// otherwise), so two messages of one session at two instances are
// serialised; claims of Telegram updates and WeChat messages are rows with
// a unique id; jobs that must run on one instance at a time hold an
// advisory lock (Exclusive); migrations run under an advisory lock too; and
// the fingerprint of the user key is kept, so an instance given another
// key is refused.
//
// An error that means the server cannot be reached (down, restarting, out
// of connections) wraps bot.ErrUnavailable; the pool replaces broken
// connections, so service resumes by itself when the server is back.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"policybot/bot"
	"policybot/record"
)

// Defaults of the pool's sizes.
const (
	DefaultMaxConns = 10
	DefaultMinConns = 2
)

// connectTimeout bounds the first connection at Open and each new one the
// pool makes: an unreachable server must fail a request, not hang it.
const connectTimeout = 5 * time.Second

// Config configures a DB.
type Config struct {
	// URL is the server and database, as libpq takes it:
	// postgres://user@host/db?sslmode=verify-full, or key=value pairs.
	URL string
	// UserKey is the HMAC-SHA256 key under which user ids are hashed: the
	// same on every instance (record.Key).
	UserKey []byte
	// MaxConns is the most connections the pool opens (DefaultMaxConns
	// when 0); MinConns how many it keeps open when idle (DefaultMinConns
	// when 0, none when negative). A job holding a lock (Exclusive) keeps
	// one of them for as long as it runs.
	MaxConns, MinConns int
	// Now returns the current time; it defaults to time.Now.
	Now func() time.Time
}

// DB is a PostgreSQL database holding what policybot keeps. It is safe for
// concurrent use, by any number of processes.
type DB struct {
	pool *pgxpool.Pool
	key  *record.Key
	now  func() time.Time
}

// Open connects to the database at cfg.URL, brings its schema up to date
// and checks the user key against the one it was first opened with.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	key, err := record.NewKey(cfg.UserKey)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pc, err := pgxpool.ParseConfig(cfg.URL)
	if err != nil {
		// The parser's message may quote the URL, password and all.
		return nil, fmt.Errorf("open postgres: the database URL %s is not one libpq reads (postgres://user@host/db?sslmode=…)", redactURL(cfg.URL))
	}
	if pc.MaxConns, err = poolSize(cfg.MaxConns, DefaultMaxConns, "MaxConns"); err != nil {
		return nil, err
	}
	if pc.MinConns, err = poolSize(cfg.MinConns, DefaultMinConns, "MinConns"); err != nil {
		return nil, err
	}
	if pc.MinConns > pc.MaxConns {
		return nil, fmt.Errorf("open postgres: keeping %d connections open needs a pool of at least that many, not %d", pc.MinConns, pc.MaxConns)
	}
	if pc.ConnConfig.ConnectTimeout == 0 || pc.ConnConfig.ConnectTimeout > connectTimeout {
		pc.ConnConfig.ConnectTimeout = connectTimeout
	}
	// A connection unused this long is checked before use, so one broken
	// by a server restart is found and replaced, not handed to a turn.
	pc.HealthCheckPeriod = 10 * time.Second
	db := &DB{key: key, now: cfg.Now}
	if db.now == nil {
		db.now = time.Now
	}
	where := pc.ConnConfig.Host + "/" + pc.ConnConfig.Database
	if db.pool, err = pgxpool.NewWithConfig(ctx, pc); err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", where, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, connectTimeout+time.Second)
	defer cancel()
	if err := db.pool.Ping(pingCtx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("open postgres %s: cannot connect: %w", where, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("migrate postgres %s: %w", where, err)
	}
	if err := db.checkKey(ctx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("open postgres %s: %w", where, err)
	}
	return db, nil
}

// poolSize checks one of the pool's sizes: 0 takes def, a negative one
// none (for MinConns).
func poolSize(n, def int, name string) (int32, error) {
	switch {
	case n == 0:
		return int32(def), nil
	case n < 0:
		if name == "MinConns" {
			return 0, nil
		}
		return 0, fmt.Errorf("open postgres: %s %d: want 1 or more", name, n)
	case n > 10000:
		return 0, fmt.Errorf("open postgres: %s %d: want at most 10000", name, n)
	}
	return int32(n), nil
}

// redactURL is the URL without its password, for messages; a key=value
// string, which may hold password=…, is not repeated at all.
func redactURL(raw string) string {
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		return "(a key=value string)"
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}

// Close closes the pool's connections.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// inTx runs f in a transaction and commits it if f succeeds.
func (db *DB) inTx(ctx context.Context, f func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, f)
}

// classify marks an error that means the server cannot be reached as
// bot.ErrUnavailable; any other is returned as it is.
func classify(err error) error {
	if err == nil || !unreachable(err) {
		return err
	}
	return fmt.Errorf("%w: %w", bot.ErrUnavailable, err)
}

// unreachable reports whether err says the server is down, restarting,
// refusing connections or cut off, rather than that a statement failed.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false // the caller gave up
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case len(pe.Code) == 5 && pe.Code[:2] == "08": // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // shutting down, starting up
			return true
		case pe.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) || isNetwork(err)
}
