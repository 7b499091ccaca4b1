package openai_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/openai"
)

// Two sentences phrasing clause (三)'s first two, citing them.
const (
	first  = "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，给予2000元/人一次性吸纳就业补贴[1]。"
	second = "企业吸纳毕业年度高校毕业生的一次性扩岗补助与这项补贴不重复享受[2]。"
)

var (
	firstShown  = strings.Replace(first, "[1]", "", 1)
	secondShown = strings.Replace(second, "[2]", "", 1)
)

func twoClauses(t *testing.T, st *answerstest.Stack) *answers.Answer {
	return st.Quoting(t, "应届生吸纳补贴多少钱", "zh",
		answerstest.Pick{Clause: 3, Sentence: 0}, answerstest.Pick{Clause: 3, Sentence: 1})
}

// streamReply runs Phrasing.Stream and checks the pieces join to the reply.
func streamReply(t *testing.T, p *answers.Phrasing, a *answers.Answer, emit func(string)) (answers.Reply, []string) {
	t.Helper()
	var pieces []string
	r := p.Stream(context.Background(), a, nil, func(s string) error {
		pieces = append(pieces, s)
		if emit != nil {
			emit(s)
		}
		return nil
	})
	if joined := strings.Join(pieces, ""); joined != r.Text {
		t.Errorf("pieces join to %q, reply is %q", joined, r.Text)
	}
	return r, pieces
}

func TestStreamSendsEachSentenceOnceVerified(t *testing.T) {
	firstSeen := make(chan struct{})
	// The model holds its second sentence back until the reader has the
	// first: the stream must deliver sentence by sentence, not at the end.
	model := newLoopback(t, func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		if !req.Stream {
			t.Error("request does not ask for a stream")
		}
		w.Header().Set("Content-Type", "text/event-stream")
		send := func(s string) {
			fmt.Fprintf(w, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":%q,\"choices\":[{\"index\":0,\"delta\":{\"content\":%q},\"finish_reason\":null}]}\n\n", testModel, s)
			w.(http.Flusher).Flush()
		}
		for _, c := range chunks(first, 5) {
			send(c)
		}
		send(second[:3]) // something after the first sentence, so it is known complete
		select {
		case <-firstSeen:
		case <-r.Context().Done():
			return
		}
		for _, c := range chunks(second[3:], 5) {
			send(c)
		}
		fmt.Fprintf(w, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":%q,\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n", testModel)
	})
	client := model.client(t, model.config())
	p, st := phrasing(t, client, time.Second)
	a := twoClauses(t, st)

	r, pieces := streamReply(t, p, a, func(s string) {
		if s == firstShown {
			close(firstSeen)
		}
	})

	if r.Outcome != answers.PhraseUsed {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	if len(pieces) != 3 || pieces[0] != firstShown || pieces[1] != secondShown {
		t.Fatalf("pieces %q", pieces)
	}
	if want := st.Replies.WithCitations(a, firstShown+secondShown); r.Text != want {
		t.Errorf("reply\n%s\nwant\n%s", r.Text, want)
	}
	if s := client.Counters().Stats(); s.Calls != 1 || s.Used != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestStreamStopsAtAnUnverifiedSentence(t *testing.T) {
	invented := "企业吸纳毕业年度高校毕业生的，另给予3000元一次性扩岗补助[2]。"
	model := newLoopback(t, says(first+invented+"其余内容[1]。"))
	client := model.client(t, model.config())
	p, st := phrasing(t, client, time.Second)
	a := twoClauses(t, st)

	r, pieces := streamReply(t, p, a, nil)

	if r.Outcome != answers.PhraseRejected || !strings.Contains(r.Reason, "3000元") {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	if len(pieces) != 2 || pieces[0] != firstShown || pieces[1] != "\n"+st.Replies.Text(a) {
		t.Errorf("pieces %q, want the verified sentence then the extractive reply", pieces)
	}
	if strings.Contains(r.Text, "3000") || strings.Contains(r.Text, "其余内容") {
		t.Errorf("unverified text reached the reader:\n%s", r.Text)
	}
}

func TestStreamFailuresFallBack(t *testing.T) {
	const timeout = 300 * time.Millisecond
	cases := []struct {
		name string
		act  behaviour
		kind openai.FailureKind
		sent string // verified text sent before the failure
	}{
		{"500", fails(http.StatusInternalServerError, nil), openai.ServerError, ""},
		{"429", fails(http.StatusTooManyRequests, map[string]string{"Retry-After": "5"}), openai.RateLimited, ""},
		{"hang before any text", hangs, openai.Timeout, ""},
		{"hang mid-sentence", func(w http.ResponseWriter, r *http.Request, req wireRequest) {
			streams(chunks("中小微企业吸纳应届", 3), "", false)(w, r, req)
			hangs(w, r, req)
		}, openai.Timeout, ""},
		{"hang after a sentence", func(w http.ResponseWriter, r *http.Request, req wireRequest) {
			streams(chunks(first+"企业", 5), "", false)(w, r, req)
			hangs(w, r, req)
		}, openai.Timeout, firstShown},
		{"connection drops", streams(chunks(first+"企业吸纳", 5), "", false), openai.Truncated, firstShown},
		{"no finish reason", streams(chunks(first, 5), "", true), openai.Truncated, ""},
		{"cut at the length limit", streams(chunks(first+"企业吸纳", 5), "length", true), openai.Truncated, firstShown},
		{"nothing written", streams(nil, "stop", true), openai.Empty, ""},
		{"garbage event", raw("text/event-stream", "data: {\"choices\":[{\"delta\":{\"content\":\n\n"), openai.Malformed, ""},
		{"error event", raw("text/event-stream", "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n"), openai.ServerError, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			model := newLoopback(t, c.act)
			cfg := model.config()
			cfg.Timeout = timeout
			client := model.client(t, cfg)
			p, st := phrasing(t, client, timeout+100*time.Millisecond)
			a := twoClauses(t, st)

			start := time.Now()
			r, _ := streamReply(t, p, a, nil)
			if elapsed := time.Since(start); elapsed > timeout+400*time.Millisecond {
				t.Errorf("fell back after %v; timeout %v", elapsed, timeout)
			}
			var e *openai.Error
			if r.Outcome != answers.PhraseFailed || !errors.As(r.Err, &e) || e.Kind != c.kind {
				t.Fatalf("outcome %s, err %v; want failed, %s", r.Outcome, r.Err, c.kind)
			}
			want := st.Replies.Text(a)
			if c.sent != "" {
				want = c.sent + "\n" + want
			}
			if r.Text != want {
				t.Errorf("reply\n%s\nwant\n%s", r.Text, want)
			}
			if s := client.Counters().Stats(); s.Failures[c.kind] != 1 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestStreamRespectsThePause(t *testing.T) {
	clk := newClock()
	model := newLoopback(t, fails(http.StatusServiceUnavailable, nil))
	cfg := model.config()
	cfg.Now, cfg.Failures = clk.Now, 2
	client := model.client(t, cfg)
	p, st := phrasing(t, client, time.Second)
	a := twoClauses(t, st)
	for range 5 {
		if r, _ := streamReply(t, p, a, nil); r.Text != st.Replies.Text(a) {
			t.Fatalf("reply not extractive:\n%s", r.Text)
		}
	}
	if n := model.hits.Load(); n != 2 {
		t.Errorf("model called %d times; want 2, then a pause", n)
	}
}
