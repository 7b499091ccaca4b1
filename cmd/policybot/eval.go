package main

import (
	"context"
	"encoding/json"
	"os"

	"policybot/evaluation"
)

func (m *Main) eval(ctx context.Context, args []string) error {
	fs := newFlags("eval", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	misses := fs.Bool("misses", false, "list the questions answered wrongly")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("eval: want one evaluation file (JSONL)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return usagef("eval: %v", err)
	}
	defer f.Close()
	cases, err := evaluation.ReadCases(f)
	if err != nil {
		return usagef("eval %s: %v", fs.Arg(0), err)
	}
	st, err := cfg.open()
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := evaluation.Run(ctx, evaluation.AskAnswerer(st.answerer), cases)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.Format(m.Stdout, *misses)
	return nil
}
