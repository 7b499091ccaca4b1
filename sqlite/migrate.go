package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"

	"policybot/migrate"
)

// migrations holds the schema changes, applied by package migrate in the
// order of their file names.
//
//go:embed migration/*.sql
var migrations embed.FS

// migrate applies the migrations not yet recorded in schema_migrations.
func (db *DB) migrate(ctx context.Context) error {
	_, err := migrate.Apply(ctx, migrator{db}, migrations, "migration", db.now)
	return err
}

// migrator runs the steps of package migrate in write transactions: BEGIN
// IMMEDIATE takes SQLite's write lock, which other processes opening the
// same new file wait for.
type migrator struct{ db *DB }

func (m migrator) Step(ctx context.Context, f func(migrate.Tx) error) error {
	return m.db.inTx(ctx, func(tx *sql.Tx) error { return f(migrationTx{tx}) })
}

type migrationTx struct{ tx *sql.Tx }

func (t migrationTx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, query, args...)
	return err
}

func (t migrationTx) QueryInt(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	if err := t.tx.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("query: %w", err)
	}
	return n, nil
}
