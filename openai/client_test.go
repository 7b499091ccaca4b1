package openai_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/openai"
)

// grounded is how a model might phrase the answer to 应届生吸纳补贴多少钱.
const grounded = "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，按规定可获得2000元/人的一次性吸纳就业补贴[1]。"

func askGraduates(t testing.TB, st *answerstest.Stack) *answers.Answer {
	t.Helper()
	a := st.Ask(t, "应届生吸纳补贴多少钱")
	if !strings.Contains(a.Quotes[0].Sentences[0].Text, "2000元/人") {
		t.Fatalf("retrieval no longer quotes the subsidy first: %q", a.Quotes[0].Sentences[0].Text)
	}
	return a
}

func TestGroundedAnswerIsUsed(t *testing.T) {
	model := newLoopback(t, says(grounded))
	client := model.client(t, model.config())
	p, st := phrasing(t, client, time.Second)
	a := askGraduates(t, st)
	before := a.Citations()

	r := p.Reply(context.Background(), a, []answers.Message{{Role: answers.RoleUser, Content: "你好"}})

	if r.Outcome != answers.PhraseUsed {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	want := st.Replies.WithCitations(a, "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，按规定可获得2000元/人的一次性吸纳就业补贴。")
	if r.Text != want {
		t.Errorf("reply\n%s\nwant\n%s", r.Text, want)
	}
	if !strings.Contains(r.Text, st.Replies.Citation("zh", a.Quotes[0])) {
		t.Errorf("reply lacks the structured citation:\n%s", r.Text)
	}
	if after := a.Citations(); !slices.Equal(before, after) {
		t.Errorf("citations changed: %v → %v", before, after)
	}
	req := model.last()
	if req.Stream || req.MaxCompletionTokens != openai.DefaultMaxTokens {
		t.Errorf("request stream=%v max_completion_tokens=%d", req.Stream, req.MaxCompletionTokens)
	}
	for _, want := range []string{"[1] 《", "2000元/人", "<question>应届生吸纳补贴多少钱</question>", "user: 你好"} {
		if !strings.Contains(req.user(), want) {
			t.Errorf("user message lacks %q:\n%s", want, req.user())
		}
	}
	s := client.Counters().Stats()
	if s.Calls != 1 || s.Used != 1 || s.Rejected != 0 {
		t.Errorf("stats %+v", s)
	}
}

func TestGroundedEnglishAnswerIsUsed(t *testing.T) {
	model := newLoopback(t, says("Small and micro enterprises that keep newly hired graduates employed for six months or more get a one-time subsidy of 2,000 yuan per person [1]."))
	client := model.client(t, model.config())
	p, st := phrasing(t, client, time.Second)
	a := st.Ask(t, "How much is the subsidy for hiring new graduates?")
	if a.Lang != "en" || !strings.Contains(a.Quotes[0].Sentences[0].Text, "2000元/人") {
		t.Fatalf("retrieval changed: %s %q", a.Lang, a.Quotes[0].Sentences[0].Text)
	}
	r := p.Reply(context.Background(), a, nil)
	if r.Outcome != answers.PhraseUsed {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	if !strings.HasPrefix(r.Text, "Small and micro enterprises") || !strings.Contains(r.Text, "Source: 《") {
		t.Errorf("reply:\n%s", r.Text)
	}
	if !strings.Contains(model.last().Messages[0].Content, "Write in English") {
		t.Error("system prompt does not ask for English")
	}
}

func TestUnverifiedAnswerNeverReachesTheUser(t *testing.T) {
	cases := []struct {
		name, reply, reason string
	}{
		{"invented amount", strings.Replace(grounded, "2000元/人", "3000元/人", 1), `amount "3000元/人"`},
		{"invented amount in words", strings.Replace(grounded, "2000元/人", "每人三千元", 1), `amount "每人3000元"`},
		{"source not given", strings.Replace(grounded, "[1]", "[2]", 1), "cites source [2]"},
		{"no citation", strings.Replace(grounded, "[1]", "", 1), "cites no source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			model := newLoopback(t, says(c.reply))
			client := model.client(t, model.config())
			p, st := phrasing(t, client, time.Second)
			a := askGraduates(t, st)
			r := p.Reply(context.Background(), a, nil)
			if r.Outcome != answers.PhraseRejected || !strings.Contains(r.Reason, c.reason) {
				t.Fatalf("outcome %s (%s), want rejected for %s", r.Outcome, r.Reason, c.reason)
			}
			if r.Text != st.Replies.Text(a) {
				t.Errorf("reply is not the extractive one:\n%s", r.Text)
			}
			if strings.Contains(r.Text, "3000") {
				t.Errorf("invented figure reached the user:\n%s", r.Text)
			}
			if s := client.Counters().Stats(); s.Calls != 1 || s.Rejected != 1 || s.Used != 0 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestFailuresFallBackWithinTheTimeout(t *testing.T) {
	const timeout = 300 * time.Millisecond
	cases := []struct {
		name string
		act  behaviour
		kind openai.FailureKind
	}{
		{"hang", hangs, openai.Timeout},
		{"500", fails(http.StatusInternalServerError, nil), openai.ServerError},
		{"502 HTML page", func(w http.ResponseWriter, _ *http.Request, _ wireRequest) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("<html><body>Bad Gateway</body></html>"))
		}, openai.ServerError},
		{"429 with Retry-After", fails(http.StatusTooManyRequests, map[string]string{"Retry-After": "20"}), openai.RateLimited},
		{"401", fails(http.StatusUnauthorized, nil), openai.ClientError},
		{"garbage JSON", raw("application/json", `{"id":"chatcmpl-1","choices":[{"message":`), openai.Malformed},
		{"not JSON", raw("application/json", `<<<>>>`), openai.Malformed},
		{"empty choices", raw("application/json", `{"id":"chatcmpl-1","object":"chat.completion","choices":[]}`), openai.Empty},
		{"empty content", says(""), openai.Empty},
		{"cut at the length limit", func(w http.ResponseWriter, _ *http.Request, _ wireRequest) {
			completion(w, "中小微企业吸纳应届高校毕业生稳定就业6个月", "length")
		}, openai.Truncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			model := newLoopback(t, c.act)
			cfg := model.config()
			cfg.Timeout = timeout
			client := model.client(t, cfg)
			// The phrasing allows a little more than the call, so the call's
			// own deadline is what ends a hang, and says so.
			p, st := phrasing(t, client, timeout+100*time.Millisecond)
			a := askGraduates(t, st)

			start := time.Now()
			r := p.Reply(context.Background(), a, nil)
			elapsed := time.Since(start)

			if elapsed > timeout+400*time.Millisecond {
				t.Errorf("fell back after %v; timeout %v", elapsed, timeout)
			}
			var e *openai.Error
			if r.Outcome != answers.PhraseFailed || !errors.As(r.Err, &e) || e.Kind != c.kind {
				t.Fatalf("outcome %s, err %v; want failed, %s", r.Outcome, r.Err, c.kind)
			}
			if r.Text != st.Replies.Text(a) {
				t.Errorf("reply is not the extractive one:\n%s", r.Text)
			}
			if s := client.Counters().Stats(); s.Failures[c.kind] != 1 || s.Calls != 1 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestRetryAfterPausesCalls(t *testing.T) {
	for name, header := range map[string]map[string]string{
		"seconds":   {"Retry-After": "30"},
		"HTTP date": {"Retry-After": "Fri, 01 Mar 2024 09:00:30 GMT"},
		"ms":        {"Retry-After-Ms": "30000"},
	} {
		t.Run(name, func(t *testing.T) {
			clk := newClock()
			model := newLoopback(t, fails(http.StatusTooManyRequests, header))
			cfg := model.config()
			cfg.Now = clk.Now
			client := model.client(t, cfg)
			p, st := phrasing(t, client, time.Second)
			a := askGraduates(t, st)

			r := p.Reply(context.Background(), a, nil)
			var e *openai.Error
			if !errors.As(r.Err, &e) || e.Kind != openai.RateLimited || e.RetryAfter != 30*time.Second {
				t.Fatalf("err %v, want rate limited for 30s", r.Err)
			}
			model.become(says(grounded))
			clk.advance(29 * time.Second)
			if r := p.Reply(context.Background(), a, nil); !errors.As(r.Err, &e) || e.Kind != openai.Paused {
				t.Fatalf("during Retry-After: outcome %s, err %v; want paused", r.Outcome, r.Err)
			}
			if n := model.hits.Load(); n != 1 {
				t.Fatalf("model called %d times during Retry-After", n)
			}
			clk.advance(time.Second)
			if r := p.Reply(context.Background(), a, nil); r.Outcome != answers.PhraseUsed {
				t.Fatalf("after Retry-After: outcome %s (%s)", r.Outcome, r.Reason)
			}
			s := client.Counters().Stats()
			if s.Calls != 2 || s.Failures[openai.RateLimited] != 1 || s.Failures[openai.Paused] != 1 || s.Used != 1 {
				t.Errorf("stats %+v", s)
			}
		})
	}
}

func TestRepeatedFailuresStopCalls(t *testing.T) {
	clk := newClock()
	model := newLoopback(t, fails(http.StatusInternalServerError, nil))
	cfg := model.config()
	cfg.Now, cfg.Failures, cfg.Cooldown = clk.Now, 3, time.Minute
	client := model.client(t, cfg)
	p, st := phrasing(t, client, time.Second)
	a := askGraduates(t, st)
	reply := func() answers.Reply { return p.Reply(context.Background(), a, nil) }

	for range 10 {
		if r := reply(); r.Text != st.Replies.Text(a) {
			t.Fatalf("reply not extractive: %s", r.Text)
		}
	}
	if n := model.hits.Load(); n != 3 {
		t.Fatalf("model called %d times; want 3, then a pause", n)
	}
	clk.advance(time.Minute)
	reply() // one probe, which fails: the next pause is twice as long
	reply()
	if n := model.hits.Load(); n != 4 {
		t.Fatalf("model called %d times after the first pause; want one probe", n)
	}
	clk.advance(time.Minute)
	reply()
	if n := model.hits.Load(); n != 4 {
		t.Fatalf("model called during the doubled pause")
	}
	clk.advance(time.Minute)
	model.become(says(grounded))
	if r := reply(); r.Outcome != answers.PhraseUsed {
		t.Fatalf("probe after recovery: %s (%s)", r.Outcome, r.Reason)
	}
	for range 3 {
		reply()
	}
	if n := model.hits.Load(); n != 8 {
		t.Errorf("model called %d times; want every call after recovery", n)
	}
	s := client.Counters().Stats()
	if s.Calls != 8 || s.Failures[openai.ServerError] != 4 || s.Failures[openai.Paused] != 9 || s.Used != 4 {
		t.Errorf("stats %+v", s)
	}
}

func TestCallerCancelDoesNotCountAgainstTheModel(t *testing.T) {
	clk := newClock()
	model := newLoopback(t, hangs)
	cfg := model.config()
	cfg.Now, cfg.Failures, cfg.Timeout = clk.Now, 1, 5*time.Second
	client := model.client(t, cfg)
	st := answerstest.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := client.Phrase(ctx, answers.NewPhraseRequest(askGraduates(t, st), nil))
	var e *openai.Error
	if !errors.As(err, &e) || e.Kind != openai.Canceled {
		t.Fatalf("err %v, want canceled", err)
	}
	model.become(says(grounded))
	if _, err := client.Phrase(context.Background(), answers.NewPhraseRequest(askGraduates(t, st), nil)); err != nil {
		t.Fatalf("a caller's cancel paused the model: %v", err)
	}
}

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "OPENAI_MODEL": "qwen2.5", "POLICYBOT_LLM_TIMEOUT": "8s"}
	cfg, err := openai.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Enabled() || cfg.Timeout != 8*time.Second || cfg.Model != "qwen2.5" {
		t.Errorf("config %+v", cfg)
	}
	env["POLICYBOT_LLM_TIMEOUT"] = "2.5"
	if cfg, _ := openai.ConfigFromEnv(func(k string) string { return env[k] }); cfg.Timeout != 2500*time.Millisecond {
		t.Errorf("bare seconds read as %v", cfg.Timeout)
	}
	env["POLICYBOT_LLM_TIMEOUT"] = "soon"
	if _, err := openai.ConfigFromEnv(func(k string) string { return env[k] }); err == nil {
		t.Error("bad timeout accepted")
	}
	if cfg, _ := openai.ConfigFromEnv(func(string) string { return "" }); cfg.Enabled() {
		t.Error("enabled without any setting")
	}
}

func TestConcurrentReplies(t *testing.T) {
	model := newLoopback(t, says(grounded))
	client := model.client(t, model.config())
	p, st := phrasing(t, client, 2*time.Second)
	a := askGraduates(t, st)
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Go(func() {
			var r answers.Reply
			if i%2 == 0 {
				r = p.Reply(context.Background(), a, nil)
			} else {
				r = p.Stream(context.Background(), a, nil, func(string) error { return nil })
			}
			if r.Outcome != answers.PhraseUsed {
				t.Errorf("reply %d: %s (%s)", i, r.Outcome, r.Reason)
			}
		})
	}
	wg.Wait()
	if s := client.Counters().Stats(); s.Calls != 24 || s.Used != 24 {
		t.Errorf("stats %+v", s)
	}
}
