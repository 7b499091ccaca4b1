package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// run runs policybot in-process with a fresh data folder and a fixed today.
func run(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		case "POLICYBOT_DATA":
			return filepath.Join(t.TempDir(), "data")
		case "POLICYBOT_TODAY":
			return "2026-11-26"
		}
		return ""
	}}
	err := m.Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

func TestAskJSON(t *testing.T) {
	out, _, err := run(t, nil, "ask", "--json", "我们公司招了3个应届生，有什么补贴？")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Status    string `json:"status"`
		Reply     string `json:"reply"`
		Citations []struct {
			Doc    string `json:"doc"`
			Clause int    `json:"clause"`
			Title  string `json:"title"`
			Quote  string `json:"quote"`
		} `json:"citations"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	if got.Status != "answered" || len(got.Citations) == 0 || got.Citations[0].Clause != 3 ||
		got.Citations[0].Doc != "cq-2022-employment-measures" || got.Citations[0].Title != "降低企业用工成本" ||
		!strings.Contains(got.Citations[0].Quote, "2000元/人") || !strings.Contains(got.Reply, "2000元/人") {
		t.Errorf("unexpected answer: %+v", got)
	}
}

func TestAskNoAnswerJSON(t *testing.T) {
	out, _, err := run(t, nil, "ask", "--json", "how do I renew my passport")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["status"] != "no_answer" || len(got["citations"].([]any)) != 0 || !strings.Contains(got["reply"].(string), "12333") {
		t.Errorf("got %v", got)
	}
}

// ask prints the reply as text: in late 2026 the later document that
// replaced the notice's rates first, with its rates marked, then the
// notice's quote, its 50% not marked as a figure to go by, and the clause.
func TestAskPlain(t *testing.T) {
	out, _, err := run(t, nil, "ask", "稳岗返还", "比例")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "后续文件（政策更新登记）") || !strings.Contains(out, "渝人社规〔2025〕10号") || !strings.Contains(out, "【10%】") ||
		strings.Contains(out, "【50%】") || !strings.Contains(out, "（二）扩大失业保险稳岗返还政策范围") {
		t.Errorf("plain reply:\n%s", out)
	}
	out, _, err = run(t, noticeTermsDay, "ask", "稳岗返还", "比例")
	if err != nil || !strings.Contains(out, "【50%】") || strings.Contains(out, "渝人社规〔2025〕10号") {
		t.Errorf("plain reply in 2023 (%v):\n%s", err, out)
	}
}

// TestBadInput: a clear message and a usage error, never a panic.
func TestBadInput(t *testing.T) {
	cases := map[string][]string{
		"no question":     {"ask"},
		"empty":           {"ask", "   "},
		"100 KB":          {"ask", strings.Repeat("补贴", 50_000)},
		"invalid UTF-8":   {"ask", "\xff\xfe\xfd"},
		"only emoji":      {"ask", "😀🎉🙏"},
		"only punct":      {"ask", "？？！。"},
		"unknown flag":    {"ask", "--nope", "补贴"},
		"unknown command": {"frobnicate"},
		"bad analyzer":    {"ask", "--analyzer", "x", "补贴"},
		"eval no file":    {"eval"},
		"eval missing":    {"eval", "/nonexistent.jsonl"},
	}
	for name, args := range cases {
		_, _, err := run(t, nil, args...)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%s: err = %v, want a usage error", name, err)
		}
	}
	out, _, err := run(t, nil, "ask", "--json", "")
	if err == nil || !strings.Contains(out, `"error"`) {
		t.Errorf("--json with empty question: out %q err %v", out, err)
	}
	_, _, err = run(t, map[string]string{"POLICYBOT_TODAY": "yesterday"}, "ask", "补贴")
	if err == nil {
		t.Error("a malformed POLICYBOT_TODAY was accepted")
	}
}

func TestIndexCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"POLICYBOT_DATA": dir}
	out, _, err := run(t, env, "index")
	if err != nil || !strings.Contains(out, "18 clauses") || !strings.Contains(out, "built") {
		t.Fatalf("index: %q %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index-gse")); err != nil {
		t.Errorf("no index in the data folder: %v", err)
	}
}

func TestCorpusFlag(t *testing.T) {
	out, _, err := run(t, nil, "ask", "--json", "--corpus", "../../kb/testdata/second", "见习补贴每月多少钱")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"doc":"yubei-2023-internships"`) {
		t.Errorf("answer not from the folder's notice: %s", out)
	}
	if _, _, err := run(t, nil, "ask", "--corpus", "/nonexistent", "补贴"); err == nil {
		t.Error("a missing corpus folder was accepted")
	}
}

// TestExitStatus runs the real binary: usage errors exit 2 with a message.
func TestExitStatus(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "policybot")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "ask", "")
	cmd.Env = append(os.Environ(), "POLICYBOT_DATA="+t.TempDir())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(stderr.String(), "empty") {
		t.Errorf("exit %v, stderr %q; want status 2 and a message", err, stderr.String())
	}
}
