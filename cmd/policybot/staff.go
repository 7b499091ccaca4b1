package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"policybot/staff"
	"policybot/web"
)

// staff manages the operator accounts of the staff console:
//
//	policybot staff add [--data DIR] NAME
//
// The password comes from standard input (its first line) or, on a
// terminal, from a prompt that does not echo; never from the command line,
// where other users of the machine and the shell history would see it.
func (m *Main) staff(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef(`staff: want "staff add NAME"`)
	}
	fs := newFlags("staff add", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("staff add: give one NAME; the password is read from standard input, never from the command line")
	}
	name := fs.Arg(0)
	password, err := m.readPassword(name)
	if err != nil {
		return err
	}
	db, err := cfg.openDB()
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.AddStaff(ctx, name, password); err != nil {
		if errors.Is(err, staff.ErrName) || errors.Is(err, staff.ErrPassword) || errors.Is(err, staff.ErrExists) {
			return usagef("%v", err)
		}
		return err
	}
	fmt.Fprintf(m.Stdout, "added operator %s; sign in at /staff/login\n", name)
	return nil
}

// readPassword prompts for a password twice on a terminal, or reads the
// first line of standard input otherwise (a pipe, a file, a secret store).
func (m *Main) readPassword(name string) (string, error) {
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(m.Stderr, "Password for %s: ", name)
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(m.Stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(first) != string(again) {
			return "", usagef("staff add: the passwords differ")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("staff add: no password on standard input")
	}
	return line, nil
}

// staffConsole sets up the staff console of serve: the account admin from
// POLICYBOT_STAFF_PASSWORD on first start, and the session timeouts.
func (m *Main) staffConsole(ctx context.Context, c *Config, a *app, log *slog.Logger) (*web.StaffConfig, error) {
	if pw := m.Getenv("POLICYBOT_STAFF_PASSWORD"); pw != "" {
		created, err := a.db.EnsureStaff(ctx, "admin", pw)
		if err != nil {
			return nil, usagef("POLICYBOT_STAFF_PASSWORD: %v", err)
		}
		if created {
			log.Info("created the staff account admin from POLICYBOT_STAFF_PASSWORD")
		}
	}
	if n, err := a.db.StaffCount(ctx); err != nil {
		return nil, err
	} else if n == 0 {
		log.Warn("the staff console has no accounts: set POLICYBOT_STAFF_PASSWORD or run policybot staff add NAME")
	}
	idle, err := c.duration("POLICYBOT_STAFF_IDLE", web.DefaultStaffIdle)
	if err != nil {
		return nil, err
	}
	maxAge, err := c.duration("POLICYBOT_STAFF_MAX_AGE", web.DefaultStaffMaxAge)
	if err != nil {
		return nil, err
	}
	today, err := c.now()
	if err != nil {
		return nil, err
	}
	return &web.StaffConfig{Store: a.db, Search: a.retriever, IdleTimeout: idle, MaxAge: maxAge, Today: today}, nil
}
