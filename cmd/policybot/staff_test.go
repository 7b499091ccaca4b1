package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"policybot/sqlite"
)

// staffMain is policybot with a data folder, an environment and standard
// input of the test's choosing.
func staffMain(data, stdin string, env map[string]string) (*Main, *bytes.Buffer) {
	var out bytes.Buffer
	return &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: io.Discard, Getenv: func(k string) string {
		if k == "POLICYBOT_DATA" {
			return data
		}
		return env[k]
	}}, &out
}

// TestStaffAdd checks "policybot staff add NAME": the password comes from
// standard input, never from the command line, and the account works.
func TestStaffAdd(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	ctx := context.Background()
	m, out := staffMain(data, "热线值班-2022-cli\n", nil)
	if err := m.Run(ctx, []string{"staff", "add", "ops.wang"}); err != nil {
		t.Fatalf("staff add: %v", err)
	}
	if !strings.Contains(out.String(), "added operator ops.wang") {
		t.Errorf("output %q", out.String())
	}
	cases := []struct {
		name, stdin string
		args        []string
	}{
		{"taken", "another-long-password\n", []string{"staff", "add", "ops.wang"}},
		{"password on the command line", "", []string{"staff", "add", "ops.li", "secret-password"}},
		{"no password", "", []string{"staff", "add", "ops.li"}},
		{"short password", "short\n", []string{"staff", "add", "ops.li"}},
		{"bad name", "热线值班-2022-cli\n", []string{"staff", "add", "Ops Li"}},
		{"no subcommand", "", []string{"staff"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, _ := staffMain(data, c.stdin, nil)
			var u usageError
			if err := m.Run(ctx, c.args); !errors.As(err, &u) {
				t.Errorf("staff %q: %v, want a usage error", c.args, err)
			}
		})
	}
	var cfg Config
	cfg.DataDir, cfg.getenv = data, func(string) string { return "" }
	db, err := cfg.openDB()
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CheckStaffPassword(ctx, "ops.wang", "热线值班-2022-cli"); err != nil {
		t.Errorf("the new operator cannot sign in: %v", err)
	}
	if n, _ := db.StaffCount(ctx); n != 1 {
		t.Errorf("%d accounts, want 1", n)
	}
}

// TestStaffPasswordSetting checks that POLICYBOT_STAFF_PASSWORD creates
// admin at first start and leaves it alone after, and that a weak one
// stops serve from starting.
func TestStaffPasswordSetting(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "policybot.db"), sqlite.Config{UserKey: make([]byte, sqlite.MinUserKeyLen)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &app{stack: &stack{}, db: db}
	log := slog.New(slog.DiscardHandler)
	for _, pw := range []string{"first-start-password", "changed-in-the-env"} {
		m, _ := staffMain("", "", map[string]string{"POLICYBOT_STAFF_PASSWORD": pw})
		cfg := Config{getenv: m.Getenv}
		staff, err := m.staffConsole(ctx, &cfg, a, log)
		if err != nil || staff.Store == nil {
			t.Fatalf("staffConsole: %v", err)
		}
	}
	if err := db.CheckStaffPassword(ctx, "admin", "first-start-password"); err != nil {
		t.Errorf("admin's first password: %v", err)
	}
	m, _ := staffMain("", "", map[string]string{"POLICYBOT_STAFF_PASSWORD": "short"})
	cfg := Config{getenv: m.Getenv}
	db2, err := sqlite.Open(filepath.Join(t.TempDir(), "policybot.db"), sqlite.Config{UserKey: make([]byte, sqlite.MinUserKeyLen)})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	var u usageError
	if _, err := m.staffConsole(ctx, &cfg, &app{stack: &stack{}, db: db2}, log); !errors.As(err, &u) {
		t.Errorf("a short POLICYBOT_STAFF_PASSWORD: %v, want a usage error", err)
	}
}
