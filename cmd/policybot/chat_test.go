package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// chatMain runs policybot in-process with lines on standard input, a data
// folder and a fixed today.
func chatMain(t *testing.T, data, stdin string, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "POLICYBOT_DATA":
			return data
		case "POLICYBOT_TODAY":
			return "2026-11-26"
		}
		return ""
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := m.Run(ctx, args)
	return out.String(), err
}

// noticeTermsDay is a day on the notice's own terms: its first end dates have
// passed, and no later document of the policy update registry has changed
// a measure yet. Conversations scripted ahead, buttons and all, are held
// on it, so the questions asked are the notice's.
var noticeTermsDay = map[string]string{"POLICYBOT_TODAY": "2023-06-01"}

// chat --json: one JSON reply per line of input, in one session; a line
// "#option VALUE" presses a button; a bad line gets an error line and the
// conversation goes on.
func TestChatJSON(t *testing.T) {
	in := strings.Join([]string{
		"我们公司今年招了三个应届生，有什么补贴？",
		"#option small",
		"😀😀",
		"都满半年了，公司一共二十个人",
		"#option skip", "#option skip", "#option skip", "#option skip", "#option skip", "#option skip",
	}, "\n")
	out, err := chatMain(t, filepath.Join(t.TempDir(), "data"), in, noticeTermsDay, "chat", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var replies []bot.Reply
	errorsSeen := 0
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var line map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("not a JSON line: %q", sc.Text())
		}
		if _, ok := line["error"]; ok {
			errorsSeen++
			continue
		}
		var r bot.Reply
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		replies = append(replies, r)
	}
	if errorsSeen != 1 || len(replies) < 4 {
		t.Fatalf("%d replies and %d errors:\n%s", len(replies), errorsSeen, out)
	}
	for _, r := range replies[1:] {
		if r.Session != replies[0].Session {
			t.Errorf("session changed from %s to %s", replies[0].Session, r.Session)
		}
	}
	if replies[0].Status != bot.StatusAsking || replies[0].Question.Fact != "enterprise_size" || len(replies[0].Citations) == 0 {
		t.Errorf("first reply: %+v", replies[0])
	}
	if q := replies[1].Question; q == nil || q.Fact != "graduates_stayed_6m" {
		t.Errorf("after the button: %+v", replies[1])
	}
	last := replies[len(replies)-1]
	if last.Status != bot.StatusResult {
		t.Fatalf("last reply %s, want result", last.Status)
	}
	for _, v := range last.Results {
		if v.ID == "one_off_hiring_subsidy" && (v.Status != "eligible" || !strings.HasPrefix(v.Amount, "6000元")) {
			t.Errorf("one_off_hiring_subsidy: %+v", v)
		}
	}
}

// chat without --json is a terminal chat: buttons numbered, a number
// presses one.
func TestChatTerminal(t *testing.T) {
	out, err := chatMain(t, filepath.Join(t.TempDir(), "data"), "我们公司今年招了三个应届生\n3\n", noticeTermsDay, "chat")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[1] 大型企业", "[3] 小型企业", "不确定，跳过", "这些毕业生是否已在贵单位稳定就业满6个月？", "[1] 是，已满6个月"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal chat lacks %q:\n%s", want, out)
		}
	}
}

// purge --older-than deletes conversations idle longer than that; a
// missing or malformed age is a usage error.
func TestPurge(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if _, err := chatMain(t, data, "灵活就业社保补贴怎么算\n", nil, "chat", "--json"); err != nil {
		t.Fatal(err)
	}
	out, err := chatMain(t, data, "", nil, "purge", "--older-than", "90d")
	if err != nil || !strings.Contains(out, "deleted 0 conversations") {
		t.Errorf("purge 90d: %q %v", out, err)
	}
	time.Sleep(20 * time.Millisecond)
	out, err = chatMain(t, data, "", nil, "purge", "--older-than", "10ms")
	if err != nil || !strings.Contains(out, "deleted 1 conversations") {
		t.Errorf("purge 10ms: %q %v", out, err)
	}
	for _, args := range [][]string{{"purge"}, {"purge", "--older-than", "soon"}, {"purge", "--older-than", "-3d"}} {
		var u usageError
		if _, err := chatMain(t, data, "", nil, args...); !errors.As(err, &u) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}
