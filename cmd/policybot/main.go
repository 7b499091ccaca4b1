// Command policybot answers questions about published employment policy and
// tells people which benefits they qualify for.
//
//	policybot ask [--json] [--data DIR] [--corpus DIR] QUESTION
//	policybot eval [--json] FILE.jsonl
//	policybot index [--data DIR] [--corpus DIR]
//
// Run "policybot help" for every command and setting.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	err := m.Run(ctx, os.Args[1:])
	stop()
	if err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(os.Stderr, "policybot:", err)
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "policybot:", err)
		os.Exit(1)
	}
}

// Main is the program: its streams and environment, so tests run it whole.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// commands maps a command name to what runs it.
var commands = map[string]func(*Main, context.Context, []string) error{
	"ask":   (*Main).ask,
	"chat":  (*Main).chat,
	"eval":  (*Main).eval,
	"index": (*Main).index,
	"purge": (*Main).purge,
	"serve": (*Main).serve,
	"staff": (*Main).staff,
}

// Run runs one command.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(m.Stdout, usage)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	run, ok := commands[args[0]]
	if !ok {
		return usagef("unknown command %q (run \"policybot help\")", args[0])
	}
	return run(m, ctx, args[1:])
}

func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// serverLogger logs at info level, as JSON when POLICYBOT_LOG_FORMAT=json.
func (m *Main) serverLogger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if m.Getenv("POLICYBOT_LOG_FORMAT") == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts))
}

const usage = `policybot answers questions about employment policy notices.

Commands:
  serve [--addr HOST:PORT] [--metrics-addr HOST:PORT] [--pprof-addr HOST:PORT]
                               run the HTTP server (API, widget, staff console)
  ask [--json] QUESTION        answer one question from the notices
  chat [--json]                hold a conversation on standard input
  eval [--json] FILE.jsonl     measure answers against an evaluation set
  index                        rebuild the search index now
  purge --older-than AGE       delete conversations older than AGE (90d, 720h)
  staff add NAME               add a staff console operator (password on stdin or a prompt)

Settings (flag, then environment variable, then default):
  --data DIR        POLICYBOT_DATA      ./data   index and database folder
  --database URL    POLICYBOT_DATABASE_URL (SQLite) PostgreSQL, for several instances: postgres://user@host/db?sslmode=verify-full
                    POLICYBOT_DB_MAX_CONNS / _MIN_CONNS  PostgreSQL pool: most connections, kept open (10 / 2)
                    POLICYBOT_LOG_KEY   (log.key) hex key user ids are hashed under; the same on every instance
  --corpus DIR      POLICYBOT_CORPUS    (embedded) folder of notices to use instead
  --analyzer NAME   POLICYBOT_ANALYZER  gse      gse (word segmenter) or cjk (bigrams)
                    POLICYBOT_TODAY     (clock)  YYYY-MM-DD: the date answers treat as today
                    POLICYBOT_STAFF_PASSWORD      serve: creates the staff account admin at first start
                    POLICYBOT_STAFF_IDLE / _MAX_AGE  serve: staff session timeouts (30m / 12h)
                    POLICYBOT_COMMIT_BATCH / _WAIT   writes committed together at most (64) / wait for more (0s)
`
