package store_test

import (
	"policybot/postgres"
	"policybot/sqlite"
	"policybot/store"
)

// Both adapters are stores.
var (
	_ store.Store = (*sqlite.DB)(nil)
	_ store.Store = (*postgres.DB)(nil)
)
