package main

import (
	"flag"
	"io"
	"path/filepath"
	"time"

	"policybot/answers"
	"policybot/corpus"
	"policybot/kb"
	"policybot/retrieval"
)

// Config is what every command shares: where data lives, which corpus,
// which analysis, and what day it is.
type Config struct {
	DataDir   string
	Database  string // PostgreSQL URL; empty: SQLite in DataDir
	CorpusDir string
	Analysis  string
	Today     string
	getenv    func(string) string
}

// bind declares the shared flags on fs, with environment fallbacks.
func (c *Config) bind(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.DataDir, "data", envOr(getenv, "POLICYBOT_DATA", "./data"), "data folder (index, database)")
	fs.StringVar(&c.Database, "database", getenv("POLICYBOT_DATABASE_URL"), "PostgreSQL URL, for several instances (default: SQLite in the data folder)")
	fs.StringVar(&c.CorpusDir, "corpus", getenv("POLICYBOT_CORPUS"), "folder of notices (default: embedded corpus)")
	fs.StringVar(&c.Analysis, "analyzer", envOr(getenv, "POLICYBOT_ANALYZER", string(kb.AnalysisWords)), "text analysis: gse or cjk")
	c.Today = getenv("POLICYBOT_TODAY")
	c.getenv = getenv
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// now returns the clock, or the fixed day of POLICYBOT_TODAY.
func (c *Config) now() (func() time.Time, error) {
	if c.Today == "" {
		return time.Now, nil
	}
	day, err := time.ParseInLocation(time.DateOnly, c.Today, time.Local)
	if err != nil {
		return nil, usagef("POLICYBOT_TODAY=%q: want YYYY-MM-DD", c.Today)
	}
	return func() time.Time { return day }, nil
}

func (c *Config) analysis() (kb.Analysis, error) {
	switch a := kb.Analysis(c.Analysis); a {
	case kb.AnalysisWords, kb.AnalysisBigram:
		return a, nil
	}
	return "", usagef("--analyzer %q: want gse or cjk", c.Analysis)
}

// indexDir is where the index of an analysis lives in the data folder.
func (c *Config) indexDir(a kb.Analysis) string {
	if c.DataDir == "" {
		return ""
	}
	return filepath.Join(c.DataDir, "index-"+string(a))
}

// stack is the knowledge base, retrieval and answers, opened together.
type stack struct {
	corpus    *kb.Corpus
	retriever *retrieval.Retriever
	answerer  *answers.Answerer
}

// open loads the corpus and opens (or builds) its index.
func (c *Config) open() (*stack, error) {
	now, err := c.now()
	if err != nil {
		return nil, err
	}
	a, err := c.analysis()
	if err != nil {
		return nil, err
	}
	fsys, err := corpus.Open(c.CorpusDir)
	if err != nil {
		return nil, usagef("--corpus %s: %v", c.CorpusDir, err)
	}
	kbase, err := kb.Load(fsys)
	if err != nil {
		return nil, err
	}
	r, err := retrieval.Open(kbase, c.indexDir(a), a)
	if err != nil {
		return nil, err
	}
	replies, err := answers.LoadReplies(fsys)
	if err != nil {
		r.Close()
		return nil, err
	}
	return &stack{corpus: kbase, retriever: r, answerer: answers.New(r, replies, now)}, nil
}

func (s *stack) Close() error { return s.retriever.Close() }

// newFlags returns a flag set that reports errors instead of exiting.
func newFlags(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

// parseFlags parses args, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	return nil
}
