package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"policybot/staff"
	"policybot/store"
)

func testStaff(t *testing.T, open Opener) {
	a, b := mustOpen(t, open, Key, nil), mustOpen(t, open, Key, nil)
	ctx := Context(t)
	if n, err := a.StaffCount(ctx); err != nil || n != 0 {
		t.Fatalf("StaffCount of a new database = %d, %v", n, err)
	}
	if err := a.AddStaff(ctx, "wang.li", "correct horse battery"); err != nil {
		t.Fatalf("AddStaff: %v", err)
	}
	if err := b.AddStaff(ctx, "wang.li", "another password"); !errors.Is(err, staff.ErrExists) {
		t.Errorf("the same name at another instance: %v, want ErrExists", err)
	}
	if err := a.AddStaff(ctx, "Wang Li", "correct horse battery"); !errors.Is(err, staff.ErrName) {
		t.Errorf("a bad name: %v, want ErrName", err)
	}
	if err := a.AddStaff(ctx, "zhao", "short"); !errors.Is(err, staff.ErrPassword) {
		t.Errorf("a short password: %v, want ErrPassword", err)
	}
	if err := b.CheckStaffPassword(ctx, "wang.li", "correct horse battery"); err != nil {
		t.Errorf("the right password at another instance: %v", err)
	}
	if err := b.CheckStaffPassword(ctx, "wang.li", "wrong password!"); !errors.Is(err, staff.ErrBadLogin) {
		t.Errorf("a wrong password: %v, want ErrBadLogin", err)
	}
	if err := b.CheckStaffPassword(ctx, "nobody", "correct horse battery"); !errors.Is(err, staff.ErrBadLogin) {
		t.Errorf("an unknown name: %v, want ErrBadLogin", err)
	}
	created, err := b.EnsureStaff(ctx, "wang.li", "a new password 2")
	if err != nil || created {
		t.Errorf("EnsureStaff of an account = %v, %v; want it left alone", created, err)
	}
	if err := a.CheckStaffPassword(ctx, "wang.li", "correct horse battery"); err != nil {
		t.Errorf("EnsureStaff changed the password: %v", err)
	}
	if created, err := b.EnsureStaff(ctx, "admin", "first password"); err != nil || !created {
		t.Errorf("EnsureStaff of a new account = %v, %v", created, err)
	}
	if n, err := a.StaffCount(ctx); err != nil || n != 2 {
		t.Errorf("StaffCount = %d, %v; want 2", n, err)
	}
}

// testStaffSessions: a session started at one instance is seen, touched
// and ended at another.
func testStaffSessions(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	if err := a.AddStaff(ctx, "wang.li", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	t0 := clk.Now()
	old := staff.Session{ID: "old", Name: "wang.li", Started: t0.Add(-13 * time.Hour), Seen: t0.Add(-13 * time.Hour), Addr: "10.0.0.1"}
	if err := a.StartStaffSession(ctx, old, t0.Add(-24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	s := staff.Session{ID: "s1", Name: "wang.li", Started: t0, Seen: t0, Addr: "10.0.0.1"}
	if err := a.StartStaffSession(ctx, s, t0.Add(-12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.StaffSession(ctx, "old"); !errors.Is(err, staff.ErrSessionNotFound) {
		t.Errorf("a session started before staleBefore: %v, want it deleted", err)
	}
	if err := b.TouchStaffSession(ctx, "s1", t0.Add(5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := a.TouchStaffSession(ctx, "s1", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	got, err := a.StaffSession(ctx, "s1")
	if err != nil || got.Name != "wang.li" || got.Addr != "10.0.0.1" || !got.Started.Equal(t0) || !got.Seen.Equal(t0.Add(5*time.Minute)) {
		t.Errorf("StaffSession = %+v, %v; want seen at the latest touch", got, err)
	}
	if err := b.EndStaffSession(ctx, "s1"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.StaffSession(ctx, "s1"); !errors.Is(err, staff.ErrSessionNotFound) {
		t.Errorf("an ended session: %v, want ErrSessionNotFound", err)
	}
	if err := a.EndStaffSession(ctx, "s1"); err != nil {
		t.Errorf("ending an ended session: %v", err)
	}
}

// testLoginFailuresAcrossInstances: failures recorded at two instances
// count together, since the last success of the name or address.
func testLoginFailuresAcrossInstances(t *testing.T, open Opener) {
	clk := NewClock()
	a, b := mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
	t0 := clk.Now()
	for _, name := range []string{"admin", "zhao"} {
		if err := a.AddStaff(ctx, name, "correct horse battery"); err != nil {
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
	for i, l := range attempts {
		db := a
		if i%2 == 1 {
			db = b
		}
		if err := db.RecordLogin(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	for _, db := range []store.Store{a, b} {
		f, err := db.LoginFailures(ctx, "admin", "10.0.0.2", at(10))
		if err != nil {
			t.Fatal(err)
		}
		wantName, wantAddr := []time.Time{at(22), at(25)}, []time.Time{at(22), at(24)}
		if !equalTimes(f.Name, wantName) || !equalTimes(f.Addr, wantAddr) {
			t.Errorf("LoginFailures = %v / %v, want %v / %v", f.Name, f.Addr, wantName, wantAddr)
		}
	}
	logins, err := b.RecentLogins(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(logins) != 2 || !sameLogin(logins[0], attempts[6]) || !sameLogin(logins[1], attempts[5]) {
		t.Errorf("RecentLogins = %+v", logins)
	}
}

// testLoginNamesKeptOnlyForAccounts: what people type into the name field
// (a phone number, an e-mail address, a password) is not shown in the
// console, yet failures of it still count toward its lockout.
func testLoginNamesKeptOnlyForAccounts(t *testing.T, open Opener) {
	clk := NewClock()
	db := mustOpen(t, open, Key, clk.Now)
	ctx := Context(t)
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
