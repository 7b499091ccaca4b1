package sqlite

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policybot/staff"
)

// TestAddStaff checks account creation: names and passwords are checked,
// a name is taken once, and only the hash is stored.
func TestAddStaff(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx := testContext(t)
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

// TestCheckStaffPassword checks sign-in: the right password passes, a
// wrong one and an unknown name fail alike.
func TestCheckStaffPassword(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx := testContext(t)
	if err := db.AddStaff(ctx, "admin", "热线值班密码2022"); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckStaffPassword(ctx, "admin", "热线值班密码2022"); err != nil {
		t.Errorf("right password: %v", err)
	}
	for _, c := range [][2]string{{"admin", "热线值班密码2021"}, {"admin", ""}, {"nobody", "热线值班密码2022"}} {
		if err := db.CheckStaffPassword(ctx, c[0], c[1]); !errors.Is(err, staff.ErrBadLogin) {
			t.Errorf("CheckStaffPassword(%q, %q) = %v, want staff.ErrBadLogin", c[0], c[1], err)
		}
	}
}

// TestEnsureStaff checks that the first-start password creates the account
// once and never resets it.
func TestEnsureStaff(t *testing.T) {
	db, path := openTestDB(t, nil)
	ctx := testContext(t)
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

// TestStaffSessions checks a session's life: started, found, touched
// (never back in time), ended; stale ones go when another starts.
func TestStaffSessions(t *testing.T) {
	clk := newClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := testContext(t)
	if err := db.AddStaff(ctx, "admin", "热线值班密码2022"); err != nil {
		t.Fatal(err)
	}
	t0 := clk.Now()
	old := staff.Session{ID: "old", Name: "admin", Started: t0, Seen: t0, Addr: "10.0.0.1"}
	if err := db.StartStaffSession(ctx, old, t0.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := db.StaffSession(ctx, "old")
	if err != nil || got.Name != "admin" || !got.Started.Equal(t0) || !got.Seen.Equal(t0) || got.Addr != "10.0.0.1" {
		t.Fatalf("staff.Session = %+v, %v", got, err)
	}
	if err := db.TouchStaffSession(ctx, "old", t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchStaffSession(ctx, "old", t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.StaffSession(ctx, "old"); !got.Seen.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("seen = %v, want %v", got.Seen, t0.Add(10*time.Minute))
	}
	t1 := t0.Add(13 * time.Hour)
	fresh := staff.Session{ID: "new", Name: "admin", Started: t1, Seen: t1}
	if err := db.StartStaffSession(ctx, fresh, t1.Add(-12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StaffSession(ctx, "old"); !errors.Is(err, staff.ErrSessionNotFound) {
		t.Errorf("a session past every timeout survived another's start: %v", err)
	}
	if err := db.EndStaffSession(ctx, "new"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StaffSession(ctx, "new"); !errors.Is(err, staff.ErrSessionNotFound) {
		t.Errorf("an ended session is still found: %v", err)
	}
	if err := db.EndStaffSession(ctx, "new"); err != nil {
		t.Errorf("ending it twice: %v", err)
	}
}

// TestLoginFailures checks what counts toward a lockout: failures within
// the window, for the name or from the address, after the last success.
func TestLoginFailures(t *testing.T) {
	clk := newClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := testContext(t)
	t0 := clk.Now()
	for _, name := range []string{"admin", "zhao"} {
		if err := db.AddStaff(ctx, name, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	attempts := []staff.Login{
		{At: at(0), Name: "admin", Addr: "10.0.0.1", Outcome: staff.LoginFailed}, // before the window
		{At: at(20), Name: "admin", Addr: "10.0.0.1", Outcome: staff.LoginFailed},
		{At: at(21), Name: "admin", Addr: "10.0.0.1", Outcome: staff.LoginOK},
		{At: at(22), Name: "admin", Addr: "10.0.0.2", Outcome: staff.LoginFailed},
		{At: at(23), Name: "admin", Addr: "10.0.0.2", Outcome: staff.LoginLocked}, // refused unchecked: not a failure
		{At: at(24), Name: "zhao", Addr: "10.0.0.2", Outcome: staff.LoginFailed},
		{At: at(25), Name: "admin", Addr: "10.0.0.3", Outcome: staff.LoginFailed},
	}
	for _, l := range attempts {
		if err := db.RecordLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	f, err := db.LoginFailures(ctx, "admin", "10.0.0.2", at(10))
	if err != nil {
		t.Fatal(err)
	}
	wantName, wantAddr := []time.Time{at(22), at(25)}, []time.Time{at(22), at(24)}
	if !equalTimes(f.Name, wantName) || !equalTimes(f.Addr, wantAddr) {
		t.Errorf("staff.LoginFailures = %v / %v, want %v / %v", f.Name, f.Addr, wantName, wantAddr)
	}
	logins, err := db.RecentLogins(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 2 || !sameLogin(logins[0], attempts[6]) || !sameLogin(logins[1], attempts[5]) {
		t.Errorf("RecentLogins = %+v", logins)
	}
}

// TestLoginNamesKeptOnlyForAccounts: what people type into the name field
// (a phone number, an e-mail address, a password) is not stored, nor shown
// in the console, yet failures of it still count toward its lockout.
func TestLoginNamesKeptOnlyForAccounts(t *testing.T) {
	clk := newClock()
	db, path := openTestDB(t, clk.Now)
	ctx := testContext(t)
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
	if err := db.RecordLogin(ctx, staff.Login{At: clk.Now().Add(time.Minute), Name: "13812345678", Addr: "10.0.0.8", Outcome: staff.LoginFailed}); err != nil {
		t.Fatal(err)
	}
	logins, err := db.RecentLogins(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range logins {
		names = append(names, l.Name)
	}
	if got, want := strings.Join(names, ","), ",wang.li,,,,"; got != want {
		t.Errorf("names shown, newest first: %q, want %q (only the account's)", got, want)
	}
	f, err := db.LoginFailures(ctx, "13812345678", "10.0.0.1", clk.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Name) != 2 {
		t.Errorf("failures of the unknown name 13812345678: %d, want 2 (counted under its hash)", len(f.Name))
	}
	assertNotOnDisk(t, path, typed, "wang.li")
}

func sameLogin(a, b staff.Login) bool {
	return a.At.Equal(b.At) && a.Name == b.Name && a.Addr == b.Addr && a.Outcome == b.Outcome
}

func equalTimes(a, b []time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

// TestStaffMigrationOnExistingLog checks that a log made before the staff
// tables gains them without losing its conversations.
func TestStaffMigrationOnExistingLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policybot.db")
	db, err := Open(path, Config{UserKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx := testContext(t)
	s, tr := sampleTurn("0123456789abcdef0123456789abcdef", "高校毕业生有什么补贴？")
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
