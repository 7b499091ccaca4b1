package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"policybot/postgres"
	"policybot/sqlite"
	"policybot/store"
)

// openTimeout bounds connecting to PostgreSQL and migrating it at start.
const openTimeout = time.Minute

// openDB opens the database: PostgreSQL at --database
// (POLICYBOT_DATABASE_URL) when it is set, for several instances; else the
// SQLite file policybot.db in the data folder, for one.
func (c *Config) openDB() (store.Store, error) {
	key, err := c.userKey()
	if err != nil {
		return nil, err
	}
	if c.Database == "" {
		group, err := c.groupCommit()
		if err != nil {
			return nil, err
		}
		return sqlite.Open(filepath.Join(c.DataDir, "policybot.db"), sqlite.Config{UserKey: key, Group: group})
	}
	maxConns, err := c.intEnv("POLICYBOT_DB_MAX_CONNS", postgres.DefaultMaxConns)
	if err != nil {
		return nil, err
	}
	minConns, err := c.intEnv("POLICYBOT_DB_MIN_CONNS", postgres.DefaultMinConns)
	if err != nil {
		return nil, err
	}
	if maxConns < 2 {
		// A job holding a lock (the Telegram poller) keeps one connection.
		return nil, usagef("POLICYBOT_DB_MAX_CONNS=%d: want 2 or more", maxConns)
	}
	if minConns > maxConns {
		return nil, usagef("POLICYBOT_DB_MIN_CONNS=%d is more than POLICYBOT_DB_MAX_CONNS=%d", minConns, maxConns)
	}
	if minConns == 0 {
		minConns = -1 // none kept open, as asked (0 means the default to postgres.Config)
	}
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	db, err := postgres.Open(ctx, postgres.Config{URL: c.Database, UserKey: key, MaxConns: maxConns, MinConns: minConns})
	if err != nil {
		return nil, fmt.Errorf("--database: %w", err)
	}
	return db, nil
}
