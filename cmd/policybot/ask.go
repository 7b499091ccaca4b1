package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"policybot/answers"
	"policybot/retrieval"
)

// askJSON is the ask contract's JSON object.
type askJSON struct {
	Status    answers.Status     `json:"status"`
	Reply     string             `json:"reply"`
	Citations []answers.Citation `json:"citations"`
	// Later lists what the policy update registry knows of the quoted
	// measures: later documents users may be told of, newest first.
	Later []answers.Later `json:"later,omitempty"`
}

func (m *Main) ask(ctx context.Context, args []string) error {
	fs := newFlags("ask", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	question := strings.Join(fs.Args(), " ")
	if err := retrieval.Validate(question); err != nil {
		return m.badQuestion(*asJSON, err)
	}
	st, err := cfg.open()
	if err != nil {
		return err
	}
	defer st.Close()
	ans, err := st.answerer.Ask(ctx, question)
	if err != nil {
		return m.badQuestion(*asJSON, err)
	}
	reply := st.answerer.Replies().Text(ans)
	if !*asJSON {
		fmt.Fprintln(m.Stdout, reply)
		return nil
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(askJSON{Status: ans.Status, Reply: reply, Citations: ans.Citations(), Later: ans.Later.JSON()})
}

// badQuestion reports input that cannot be asked: a usage error (exit 2),
// also as a JSON object when JSON was asked for.
func (m *Main) badQuestion(asJSON bool, err error) error {
	if errors.Is(err, retrieval.ErrEmpty) {
		err = fmt.Errorf("%w: give the question after the command, e.g. policybot ask \"应届生补贴有多少\"", err)
	}
	if asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]string{"error": err.Error()})
	}
	return usagef("%v", err)
}
