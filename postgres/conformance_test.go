package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

	"policybot/postgres"
	"policybot/postgres/pgtest"
	"policybot/store"
	"policybot/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// TestConformance runs the suite every store passes, on a new database of
// a real server per test; opening it twice plays two instances.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		url := pgtest.Database(t)
		return func(t *testing.T, key []byte, now func() time.Time) (store.Store, error) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			db, err := postgres.Open(ctx, postgres.Config{URL: url, UserKey: key, Now: now, MaxConns: 4, MinConns: -1})
			if err != nil {
				return nil, err
			}
			t.Cleanup(func() { db.Close() })
			return db, nil
		}
	})
}
