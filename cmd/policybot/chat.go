package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"policybot/bot"
)

// chat holds one conversation: each line of standard input is a message.
// With --json each reply is one JSON line (the /api/chat contract); a line
// "#option VALUE" presses a button. Without it, a terminal chat.
func (m *Main) chat(ctx context.Context, args []string) error {
	fs := newFlags("chat", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	asJSON := fs.Bool("json", false, "one JSON reply per line")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := cfg.openApp(m.logger())
	if err != nil {
		return err
	}
	defer a.Close()
	if !*asJSON {
		fmt.Fprintln(m.Stdout, "policybot — 就业政策助手。输入问题，或“帮我看看”检查能享受哪些政策；按数字选择选项；Ctrl-D 结束。")
	}
	session := ""
	var options []bot.Option
	sc := bufio.NewScanner(m.Stdin)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if ctx.Err() != nil {
			return nil
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		msg := bot.Message{Session: session, Channel: "cli", Text: line}
		if v, ok := strings.CutPrefix(line, "#option "); ok {
			msg.Text, msg.Option = "", strings.TrimSpace(v)
		} else if o := pick(line, options); o != "" && !*asJSON {
			msg.Text, msg.Option = "", o
		}
		reply, err := a.engine.Handle(ctx, msg)
		if err != nil {
			if !errors.Is(err, bot.ErrBadMessage) {
				return err
			}
			m.printError(*asJSON, err)
			continue
		}
		session = reply.Session
		options = nil
		if reply.Question != nil {
			options = reply.Question.Options
		}
		options = append(options, reply.Suggestions...)
		if *asJSON {
			enc := json.NewEncoder(m.Stdout)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(reply); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintln(m.Stdout, reply.Reply)
		for i, o := range options {
			fmt.Fprintf(m.Stdout, "  [%d] %s\n", i+1, o.Label)
		}
		fmt.Fprintln(m.Stdout)
	}
	return sc.Err()
}

// pick maps "2" to the second button offered, in the terminal chat.
func pick(line string, options []bot.Option) string {
	var n int
	if _, err := fmt.Sscanf(line, "%d", &n); err != nil || fmt.Sprint(n) != line || n < 1 || n > len(options) {
		return ""
	}
	return options[n-1].Value
}

func (m *Main) printError(asJSON bool, err error) {
	if asJSON {
		enc := json.NewEncoder(m.Stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(map[string]string{"error": err.Error()})
		return
	}
	fmt.Fprintln(m.Stdout, "（无法处理：", err, "）")
}
