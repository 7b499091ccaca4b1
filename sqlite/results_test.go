package sqlite

import (
	"path/filepath"
	"testing"

	"policybot/bot"
	"policybot/store/storetest"
)

// A log written before verdicts could be "superseded" (migration 0004)
// keeps its results when the table is rebuilt, and then takes the new
// status; a status nobody defined is still refused.
func TestSupersededMigrationOnExistingLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policybot.db")
	db, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx := storetest.Context(t)
	// Take the results table back to what 0001 made, as an older release
	// left it, with a verdict in it.
	for _, q := range []string{
		`DROP TABLE results`,
		`CREATE TABLE results (
			turn_id INTEGER NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
			benefit TEXT NOT NULL, doc TEXT NOT NULL, clause INTEGER NOT NULL,
			status TEXT NOT NULL CHECK (status IN ('eligible', 'possible', 'ineligible', 'expired')),
			amount TEXT NOT NULL) STRICT`,
		`DELETE FROM schema_migrations WHERE name = 'migration/0004_superseded.sql'`,
	} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	s, tr := storetest.SampleTurn("0123456789abcdef0123456789abcdef", "创业担保贷款最多贷多少？")
	tr.Results = []bot.Verdict{{Benefit: "graduate_hiring_guarantee_loan", Doc: "cq-2022", Clause: 4, Status: "eligible", Amount: "300万元"}}
	old, err := commitNext(ctx, db, s, tr)
	if err != nil {
		t.Fatal(err)
	}
	tr.Results[0].Status = "superseded"
	if _, err := commitNext(ctx, db, s, tr); err == nil {
		t.Fatal("the old table took a superseded verdict")
	}
	db.Close()

	db, err = Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	var status, amount string
	if err := db.read.QueryRowContext(ctx, `SELECT status, amount FROM results WHERE turn_id = ?`, old).Scan(&status, &amount); err != nil ||
		status != "eligible" || amount != "300万元" {
		t.Errorf("the verdict logged before the migration: %q %q (%v)", status, amount, err)
	}
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Errorf("a superseded verdict after the migration: %v", err)
	}
	tr.Results[0].Status = "perhaps"
	if _, err := commitNext(ctx, db, s, tr); err == nil {
		t.Error("an unknown status was logged")
	}
}
