package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"policybot/answers"
	"policybot/bot"
	"policybot/openai"
	"policybot/reading"
	"policybot/sqlite"
	"policybot/store"
)

// app is the stack behind the dialogue: knowledge base, answers,
// eligibility rules, the database and the engine.
type app struct {
	*stack
	db     store.Store
	engine *bot.Engine
	llm    *openai.Counters // nil without a model
}

// openApp opens everything a conversation needs, the database included.
func (c *Config) openApp(log *slog.Logger) (*app, error) {
	st, err := c.open()
	if err != nil {
		return nil, err
	}
	a := &app{stack: st}
	if err := a.openEngine(c, log); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) openEngine(c *Config, log *slog.Logger) error {
	now, err := c.now()
	if err != nil {
		return err
	}
	if a.db, err = c.openDB(); err != nil {
		return err
	}
	eval, err := answers.NewEvaluator(a.corpus, now)
	if err != nil {
		return err
	}
	dlg, err := bot.LoadDialogue(a.corpus.FS)
	if err != nil {
		return err
	}
	idle, err := c.duration("POLICYBOT_SESSION_IDLE", bot.DefaultSessionIdle)
	if err != nil {
		return err
	}
	rd, err := reading.Open(a.corpus)
	if err != nil {
		return err
	}
	cfg := bot.Config{
		Answerer: a.answerer, Evaluator: eval, Reader: rd, Dialogue: dlg, Store: a.db,
		Now: time.Now, SessionIdle: idle, Log: log,
	}
	if err := a.openLLM(c, &cfg, log); err != nil {
		return err
	}
	a.engine, err = bot.New(cfg)
	return err
}

// openLLM configures phrasing and fact filling by a model behind an
// OpenAI-compatible API when OPENAI_BASE_URL or OPENAI_MODEL is set;
// without them replies stay extractive and nothing touches the network.
func (a *app) openLLM(c *Config, cfg *bot.Config, log *slog.Logger) error {
	llm, err := openai.ConfigFromEnv(c.getenv)
	if err != nil {
		return usagef("%v", err)
	}
	if !llm.Enabled() {
		return nil
	}
	v, err := answers.LoadVerifier(a.corpus.FS)
	if err != nil {
		return err
	}
	client, err := openai.New(llm, v.Prompts())
	if err != nil {
		return err
	}
	a.llm = client.Counters()
	cfg.Verifier, cfg.Filler = v, client
	cfg.Phrasing = &answers.Phrasing{
		Phraser: client, Replies: a.answerer.Replies(), Verifier: v,
		Timeout: llm.Timeout + 500*time.Millisecond, Recorder: a.llm, Logger: log,
	}
	log.Info("answers phrased by a model", "model", llm.Model, "base_url", llm.BaseURL)
	return nil
}

func (a *app) Close() error {
	var errs []error
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	errs = append(errs, a.stack.Close())
	return errors.Join(errs...)
}

// userKey is the key user ids are hashed under in the log: from
// POLICYBOT_LOG_KEY (hex) if set, else from the file log.key in the data
// folder, created with 32 random bytes on first use. It lives outside the
// database, so a copy of the database alone does not reveal who talked.
// Instances sharing a PostgreSQL database must all be given the same key;
// the database keeps its fingerprint and refuses another.
func (c *Config) userKey() ([]byte, error) {
	if v := c.getenv("POLICYBOT_LOG_KEY"); v != "" {
		key, err := hex.DecodeString(strings.TrimSpace(v))
		if err != nil || len(key) < sqlite.MinUserKeyLen {
			return nil, usagef("POLICYBOT_LOG_KEY must be at least %d bytes in hex", sqlite.MinUserKeyLen)
		}
		return key, nil
	}
	path := filepath.Join(c.DataDir, "log.key")
	data, err := os.ReadFile(path)
	if err == nil {
		key, err := hex.DecodeString(strings.TrimSpace(string(data)))
		if err != nil || len(key) < sqlite.MinUserKeyLen {
			return nil, fmt.Errorf("read %s: not a key of %d bytes in hex", path, sqlite.MinUserKeyLen)
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read log key: %w", err)
	}
	if err := os.MkdirAll(c.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	key := make([]byte, sqlite.MinUserKeyLen)
	_, _ = rand.Read(key)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) { // another process made it first: use theirs
			return c.userKey()
		}
		return nil, fmt.Errorf("create log key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(key) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("write log key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write log key: %w", err)
	}
	return key, nil
}

// groupCommit reads the bounds of the log's group commit:
// POLICYBOT_COMMIT_BATCH writes at most in one transaction, and
// POLICYBOT_COMMIT_WAIT for more once one is waiting.
func (c *Config) groupCommit() (sqlite.GroupCommit, error) {
	var g sqlite.GroupCommit
	var err error
	if g.MaxBatch, err = c.intEnv("POLICYBOT_COMMIT_BATCH", sqlite.DefaultMaxBatch); err != nil {
		return g, err
	}
	if g.MaxBatch < 1 || g.MaxBatch > sqlite.MaxBatchLimit {
		return g, usagef("POLICYBOT_COMMIT_BATCH=%d: want 1 to %d", g.MaxBatch, sqlite.MaxBatchLimit)
	}
	if v := c.getenv("POLICYBOT_COMMIT_WAIT"); v != "" {
		if g.MaxWait, err = time.ParseDuration(v); err != nil || g.MaxWait < 0 || g.MaxWait > sqlite.MaxWaitLimit {
			return g, usagef("POLICYBOT_COMMIT_WAIT=%q: want a duration from 0s to %s", v, sqlite.MaxWaitLimit)
		}
	}
	return g, nil
}

// duration reads a duration from the environment (30m, 2h, 90d).
func (c *Config) duration(key string, def time.Duration) (time.Duration, error) {
	v := c.getenv(key)
	if v == "" {
		return def, nil
	}
	d, err := parseDuration(v)
	if err != nil {
		return 0, usagef("%s=%q: %v", key, v, err)
	}
	return d, nil
}

// parseDuration is time.ParseDuration that also takes days (90d).
func parseDuration(v string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(v, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err != nil || days <= 0 || fmt.Sprint(days) != n {
			return 0, fmt.Errorf("want a duration like 30m, 12h or 90d")
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("want a duration like 30m, 12h or 90d")
	}
	return d, nil
}
