// Package migrate brings a database's schema up to date, the same way for
// every engine: it applies the engine's migration files in the order of
// their names, each once and in its own transaction, and records each by
// name in the table schema_migrations. Each engine has its own files
// (sqlite/migration, postgres/migration), since their SQL differs; a
// migration, once released, is never edited: changes go in a new file.
//
// Several processes may open one database at once (instances of a service
// starting together): every step runs in a transaction that holds the
// engine's migration lock (SQLite's write lock, a PostgreSQL advisory
// lock), and a file is applied only if it is not yet recorded when the
// lock is held, so none is applied twice.
package migrate

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"time"
)

// Engine is a database as the runner uses it.
type Engine interface {
	// Step runs f in one transaction that holds the engine's migration
	// lock, and commits it if f returns nil.
	Step(ctx context.Context, f func(Tx) error) error
}

// Tx is a transaction of a Step. Queries number their parameters $1, $2 …,
// which both SQLite and PostgreSQL read.
type Tx interface {
	Exec(ctx context.Context, query string, args ...any) error
	// QueryInt runs a query that returns one integer.
	QueryInt(ctx context.Context, query string, args ...any) (int64, error)
}

// createTable is the runner's own table; BIGINT is an integer in both
// engines.
const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	name    TEXT PRIMARY KEY,
	applied BIGINT NOT NULL -- Unix milliseconds
)`

// Apply applies the *.sql files of dir in files that are not yet recorded,
// in the order of their names, and returns the names it applied.
func Apply(ctx context.Context, e Engine, files fs.FS, dir string, now func() time.Time) ([]string, error) {
	err := e.Step(ctx, func(tx Tx) error { return tx.Exec(ctx, createTable) })
	if err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(files, dir+"/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no migrations in %s", dir)
	}
	sort.Strings(names)
	var applied []string
	for _, name := range names {
		did, err := apply(ctx, e, files, name, now)
		if err != nil {
			return applied, fmt.Errorf("migration %s: %w", name, err)
		}
		if did {
			applied = append(applied, name)
		}
	}
	return applied, nil
}

// apply runs one migration unless it is recorded. The check is made under
// the lock, so two processes migrating the same new database cannot both
// apply it.
func apply(ctx context.Context, e Engine, files fs.FS, name string, now func() time.Time) (did bool, err error) {
	err = e.Step(ctx, func(tx Tx) error {
		n, err := tx.QueryInt(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name)
		if err != nil || n > 0 {
			return err
		}
		script, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		if err := tx.Exec(ctx, string(script)); err != nil {
			return err
		}
		did = true
		return tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied) VALUES ($1, $2)`, name, now().UnixMilli())
	})
	return did, err
}
