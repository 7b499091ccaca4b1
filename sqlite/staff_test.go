package sqlite

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policybot/staff"
	"policybot/store/storetest"
)

// TestAddStaff checks account creation: names and passwords are checked,
// a name is taken once, and only the hash is stored.
func TestAddStaff(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx := storetest.Context(t)
	if err := db.AddStaff(ctx, "wang.li", "correct horse battery"); err != nil {
		t.Fatalf("AddStaff: %v", err)
	}
	cases := []struct {
		name, user, password string
		want                 error
	}{
		{"taken", "wang.li", "another long password", staff.ErrExists},
		{"upper case", "Wang", "correct horse battery", staff.ErrName},
		{"space", "wang li", "correct horse battery", staff.ErrName},
		{"empty", "", "correct horse battery", staff.ErrName},
		{"too long a name", strings.Repeat("a", 33), "correct horse battery", staff.ErrName},
		{"short password", "zhao", "123456789", staff.ErrPassword},
		{"password over bcrypt's limit", "zhao", strings.Repeat("密", 25), staff.ErrPassword},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := db.AddStaff(ctx, c.user, c.password); !errors.Is(err, c.want) {
				t.Errorf("AddStaff(%q) = %v, want %v", c.user, err, c.want)
			}
		})
	}
	var hash string
	if err := db.read.QueryRowContext(ctx, `SELECT hash FROM staff_accounts WHERE name = 'wang.li'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$2a$10$") || strings.Contains(hash, "horse") {
		t.Errorf("stored %q, want a bcrypt hash", hash)
	}
	if n, err := db.StaffCount(ctx); err != nil || n != 1 {
		t.Errorf("StaffCount = %d, %v; want 1", n, err)
	}
}

// TestEnsureStaff checks that the first-start password creates the account
// once and never resets it.
func TestEnsureStaff(t *testing.T) {
	db, path := openTestDB(t, nil)
	ctx := storetest.Context(t)
	created, err := db.EnsureStaff(ctx, "admin", "first password")
	if err != nil || !created {
		t.Fatalf("EnsureStaff on a new database = %v, %v; want true", created, err)
	}
	// A restart with another value in the environment.
	db2, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if created, err := db2.EnsureStaff(ctx, "admin", "second password"); err != nil || created {
		t.Fatalf("EnsureStaff again = %v, %v; want false", created, err)
	}
	if err := db2.CheckStaffPassword(ctx, "admin", "first password"); err != nil {
		t.Errorf("the first password no longer works: %v", err)
	}
}

// TestLoginNamesKeptOnlyForAccounts: what people type into the name field
// (a phone number, an e-mail address, a password) is not stored, nor shown
// in the console, yet failures of it still count toward its lockout. What
// is shown and counted is the conformance suite's (storetest, on both
// engines); here, that none of it reaches the database's bytes.
func TestLoginNamesKeptOnlyForAccounts(t *testing.T) {
	clk := storetest.NewClock()
	db, path := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	if err := db.AddStaff(ctx, "wang.li", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	typed := []string{"13812345678", "zhang.san@example.com", "correct horse battery", "张伟"}
	for i, name := range append(typed, "wang.li") {
		l := staff.Login{At: clk.Now().Add(time.Duration(i) * time.Second), Name: name, Addr: "10.0.0.9", Outcome: staff.LoginFailed}
		if err := db.RecordLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	assertNotOnDisk(t, path, typed, "wang.li")
}

// TestStaffMigrationOnExistingLog checks that a log made before the staff
// tables gains them without losing its conversations.
func TestStaffMigrationOnExistingLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policybot.db")
	db, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx := storetest.Context(t)
	s, tr := storetest.SampleTurn("0123456789abcdef0123456789abcdef", "高校毕业生有什么补贴？")
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatal(err)
	}
	// Take the database back to before 0003, as an older release left it.
	for _, q := range []string{`DROP TABLE staff_logins`, `DROP TABLE staff_sessions`, `DROP TABLE staff_accounts`,
		`DELETE FROM schema_migrations WHERE name = 'migration/0003_staff.sql'`} {
		if _, err := db.write.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db, err = Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if err := db.AddStaff(ctx, "admin", "热线值班密码2022"); err != nil {
		t.Errorf("staff tables missing after migration: %v", err)
	}
	if list, err := db.RecentConversations(ctx, 5); err != nil || len(list) != 1 {
		t.Errorf("conversations after migration: %v, %v", list, err)
	}
}
