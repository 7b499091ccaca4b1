package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"

	"policybot/migrate"
)

// migrations holds the schema changes, applied by package migrate in the
// order of their file names.
//
//go:embed migration/*.sql
var migrations embed.FS

// migrationLock is the advisory lock every migration step takes: instances
// starting together migrate one after the other, and each file is applied
// once.
var migrationLock = lockKey("migrate")

// migrate applies the migrations not yet recorded in schema_migrations.
func (db *DB) migrate(ctx context.Context) error {
	_, err := migrate.Apply(ctx, migrator{db}, migrations, "migration", db.now)
	return classify(err)
}

// migrator runs the steps of package migrate in transactions that hold
// migrationLock until they end.
type migrator struct{ db *DB }

func (m migrator) Step(ctx context.Context, f func(migrate.Tx) error) error {
	return m.db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("take the migration lock: %w", err)
		}
		return f(migrationTx{tx})
	})
}

type migrationTx struct{ tx pgx.Tx }

func (t migrationTx) Exec(ctx context.Context, query string, args ...any) error {
	_, err := t.tx.Exec(ctx, query, args...)
	return err
}

func (t migrationTx) QueryInt(ctx context.Context, query string, args ...any) (int64, error) {
	var n int64
	if err := t.tx.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("query: %w", err)
	}
	return n, nil
}
