package main

import (
	"context"
	"fmt"
	"os"
)

// index rebuilds the search index now, whatever its hash says.
func (m *Main) index(ctx context.Context, args []string) error {
	fs := newFlags("index", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := cfg.analysis()
	if err != nil {
		return err
	}
	if err := os.RemoveAll(cfg.indexDir(a)); err != nil {
		return fmt.Errorf("remove index: %w", err)
	}
	st, err := cfg.open()
	if err != nil {
		return err
	}
	defer st.Close()
	n := 0
	for _, d := range st.corpus.Docs {
		n += len(d.Clauses())
	}
	fmt.Fprintf(m.Stdout, "indexed %d notices, %d clauses: %s\n", len(st.corpus.Docs), n, st.retriever.Origin())
	return nil
}
