// Command policyload measures policybot serve under load and checks that
// a kill -9 loses no acknowledged turn. It builds the binary, starts it on
// loopback with a fresh data folder, and in one run:
//
//  1. loads GET /healthz from -c connections for -d;
//  2. loads POST /api/chat from -c connections with fresh questions (every
//     text is new: an evaluation question with a figure of its own), half
//     of them starting a conversation and half going on with one, until -d
//     has passed and at least -sessions conversations were started;
//  3. reads the server's resident memory, then kills it with SIGKILL while
//     requests are in flight;
//  4. opens the log and counts the acknowledged turns it holds.
//
// It prints turns/s, the ratio to /healthz, p50 and p99 of each, the
// resident memory and the turns lost. Usage:
//
//	go run ./cmd/policyload [-c 32] [-d 20s] [-sessions 0] [-cpuprofile FILE]
//
// The server inherits the environment, so settings reach it as usual
// (POLICYBOT_COMMIT_WAIT=1ms go run ./cmd/policyload). The log is read
// through database/sql at -db: by default POLICYBOT_DATABASE_URL when it is
// set (the server then logs to PostgreSQL there), else the SQLite file in
// the data folder; or any SQLite path or postgres:// URL.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "policyload:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	conns      int
	duration   time.Duration
	sessions   int
	data       string
	db         string
	bin        string
	questions  string
	cpuprofile string
	profileFor time.Duration
	seed       int64
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("policyload", flag.ContinueOnError)
	fs.IntVar(&o.conns, "c", 32, "concurrent connections")
	fs.DurationVar(&o.duration, "d", 20*time.Second, "how long each load lasts (at least)")
	fs.IntVar(&o.sessions, "sessions", 0, "go on loading chat until this many conversations were started")
	fs.StringVar(&o.data, "data", "", "data folder for the server (default: a new temporary one, removed after)")
	fs.StringVar(&o.db, "db", "", "the log to audit: a SQLite file or a postgres:// URL (default: $POLICYBOT_DATABASE_URL, else DATA/policybot.db)")
	fs.StringVar(&o.bin, "bin", "", "a policybot binary to run (default: go build ./cmd/policybot)")
	fs.StringVar(&o.questions, "questions", "evaluation/testdata", "folder of *.jsonl question sets the fresh questions are made from")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the server under chat load to this file")
	fs.DurationVar(&o.profileFor, "profile-for", 10*time.Second, "how long the CPU profile runs")
	fs.Int64Var(&o.seed, "seed", 1, "seed of the fresh questions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.conns < 1 || o.duration <= 0 {
		return fmt.Errorf("-c must be at least 1 and -d positive")
	}
	if o.cpuprofile != "" && o.profileFor >= o.duration {
		return fmt.Errorf("-profile-for (%s) must be shorter than -d (%s)", o.profileFor, o.duration)
	}
	qs, err := loadQuestions(o.questions)
	if err != nil {
		return err
	}
	if o.data == "" {
		dir, err := os.MkdirTemp("", "policyload-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.data = dir
	}
	if o.db == "" {
		o.db = os.Getenv("POLICYBOT_DATABASE_URL")
	}
	if o.db == "" {
		o.db = filepath.Join(o.data, "policybot.db")
	}
	if o.bin == "" {
		if o.bin, err = build(ctx); err != nil {
			return err
		}
		defer os.RemoveAll(filepath.Dir(o.bin))
	}
	s, err := start(ctx, o.bin, o.data)
	if err != nil {
		return err
	}
	defer s.kill()
	fmt.Printf("policyload: %d connections, %s a load, on %d cores (load average %s), server pid %d\n",
		o.conns, o.duration, runtime.NumCPU(), loadAverage(), s.pid())

	warm := newChatLoad(s.url, qs, o.seed+1)
	if _, err := drive(ctx, 4, 2*time.Second, warm.turn); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	health, err := drive(ctx, o.conns, o.duration, healthz(s.url))
	if err != nil {
		return fmt.Errorf("/healthz: %w", err)
	}
	chat := newChatLoad(s.url, qs, o.seed)
	var profile <-chan error
	if o.cpuprofile != "" {
		profile = s.profile(ctx, o.cpuprofile, o.profileFor)
	}
	// The chat load ends with the kill: requests in flight then get no reply.
	turns, err := drive(ctx, o.conns, o.duration, chat.turn, whileMore(func() bool {
		return chat.started.Load() < int64(o.sessions)
	}), withEnd(func() {
		s.rss = s.residentMB()
		s.kill()
	}))
	if err != nil {
		return fmt.Errorf("/api/chat: %w", err)
	}
	if profile != nil {
		if err := <-profile; err != nil {
			return err
		}
	}
	audit, err := auditLog(ctx, o.db, chat.acknowledged())
	if err != nil {
		return err
	}
	report(os.Stdout, health, turns, chat, s, audit, o)
	if audit.lost > 0 || audit.differ > 0 {
		return fmt.Errorf("%d acknowledged turns lost, %d logged otherwise than answered", audit.lost, audit.differ)
	}
	return nil
}

// loadAverage is the machine's one-minute load average, which says how far
// other work shared the cores during the run.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Fields(string(b))[0]
}
