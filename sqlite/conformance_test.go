package sqlite_test

import (
	"path/filepath"
	"testing"
	"time"

	"policybot/sqlite"
	"policybot/store"
	"policybot/store/storetest"
)

// TestConformance runs the suite every store passes, on a new file per
// test; opening the file twice plays two instances.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) storetest.Opener {
		path := filepath.Join(t.TempDir(), "policybot.db")
		return func(t *testing.T, key []byte, now func() time.Time) (store.Store, error) {
			db, err := sqlite.Open(path, sqlite.Config{UserKey: key, Now: now})
			if err != nil {
				return nil, err
			}
			t.Cleanup(func() { db.Close() })
			return db, nil
		}
	})
}
