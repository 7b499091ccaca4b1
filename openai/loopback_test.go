package openai_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/openai"
)

// Credentials the loopback model expects.
const (
	testKey   = "sk-loopback-test"
	testModel = "loopback-chat-1"
)

// wireRequest is a chat completions request as it arrives on the wire.
type wireRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	Stream              bool `json:"stream"`
	MaxCompletionTokens int  `json:"max_completion_tokens"`
	ResponseFormat      *struct {
		Type       string          `json:"type"`
		JSONSchema json.RawMessage `json:"json_schema"`
	} `json:"response_format"`
}

// user is the request's last user message.
func (r wireRequest) user() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// behaviour is how the loopback model answers one request.
type behaviour func(w http.ResponseWriter, r *http.Request, req wireRequest)

// loopback is a chat completions server on the loopback interface. It
// speaks the API's wire format (POST /v1/chat/completions, JSON replies,
// server-sent events when streaming) to the real go-openai client, and
// checks what that client sends.
type loopback struct {
	t        testing.TB
	srv      *httptest.Server
	hits     atomic.Int64
	mu       sync.Mutex
	act      behaviour
	requests []wireRequest
}

func newLoopback(t testing.TB, act behaviour) *loopback {
	t.Helper()
	l := &loopback{t: t, act: act}
	l.srv = httptest.NewServer(http.HandlerFunc(l.serve))
	t.Cleanup(l.srv.Close)
	return l
}

func (l *loopback) serve(w http.ResponseWriter, r *http.Request) {
	l.hits.Add(1)
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		l.t.Errorf("request %s %s, want POST /v1/chat/completions", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
		l.t.Errorf("Authorization %q", got)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		l.t.Errorf("Content-Type %q", ct)
	}
	var req wireRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		l.t.Errorf("request body: %v", err)
		return
	}
	if req.Model != testModel || len(req.Messages) < 2 || req.Messages[0].Role != "system" {
		l.t.Errorf("request model %q, %d messages", req.Model, len(req.Messages))
	}
	if req.Stream && r.Header.Get("Accept") != "text/event-stream" {
		l.t.Errorf("streaming request accepts %q", r.Header.Get("Accept"))
	}
	l.mu.Lock()
	l.requests = append(l.requests, req)
	act := l.act
	l.mu.Unlock()
	act(w, r, req)
}

// become changes how the model answers from now on.
func (l *loopback) become(act behaviour) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.act = act
}

func (l *loopback) last() wireRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.requests) == 0 {
		l.t.Fatal("no request reached the model")
	}
	return l.requests[len(l.requests)-1]
}

// config is a client config for the loopback model.
func (l *loopback) config() openai.Config {
	return openai.Config{BaseURL: l.srv.URL + "/v1", APIKey: testKey, Model: testModel, Timeout: 500 * time.Millisecond}
}

func (l *loopback) client(t testing.TB, cfg openai.Config) *openai.Client {
	t.Helper()
	c, err := openai.New(cfg, answerstest.Open(t).Prompts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// says replies text, as one JSON completion or, when the client streams,
// as chunks of a few runes each.
func says(text string) behaviour {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		if req.Stream {
			streams(chunks(text, 4), "stop", true)(w, r, req)
			return
		}
		completion(w, text, "stop")
	}
}

// sayFunc replies what f makes of the request.
func sayFunc(f func(req wireRequest) string) behaviour {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) { says(f(req))(w, r, req) }
}

func completion(w http.ResponseWriter, text, finish string) {
	writeJSON(w, http.StatusOK, map[string]any{
		"id": "chatcmpl-loopback", "object": "chat.completion", "created": 1_700_000_000, "model": testModel,
		"choices": []any{map[string]any{
			"index": 0, "message": map[string]any{"role": "assistant", "content": text},
			"logprobs": nil, "finish_reason": finish,
		}},
		"usage": map[string]any{"prompt_tokens": 200, "completion_tokens": 40, "total_tokens": 240},
	})
}

// streams sends pieces as server-sent events: a role chunk, a chunk per
// piece, the finish reason, and data: [DONE] when done is true.
func streams(pieces []string, finish string, done bool) behaviour {
	return func(w http.ResponseWriter, r *http.Request, req wireRequest) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		flusher := w.(http.Flusher)
		event := func(delta map[string]any, finish any) {
			data, _ := json.Marshal(map[string]any{
				"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": 1_700_000_000, "model": testModel,
				"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish}},
			})
			fmt.Fprintf(w, "data: %s\n\n", data)
			flusher.Flush()
		}
		event(map[string]any{"role": "assistant", "content": ""}, nil)
		for _, p := range pieces {
			event(map[string]any{"content": p}, nil)
		}
		if finish != "" {
			event(map[string]any{}, finish)
		}
		if done {
			fmt.Fprint(w, "data: [DONE]\n\n")
			flusher.Flush()
		}
	}
}

func chunks(text string, n int) []string {
	rs := []rune(text)
	var out []string
	for i := 0; i < len(rs); i += n {
		out = append(out, string(rs[i:min(i+n, len(rs))]))
	}
	return out
}

// hangs never answers, until the client gives up.
func hangs(w http.ResponseWriter, r *http.Request, _ wireRequest) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
	}
}

// fails answers with an API error.
func fails(status int, header map[string]string) behaviour {
	return func(w http.ResponseWriter, _ *http.Request, _ wireRequest) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		typ := map[int]string{429: "rate_limit_exceeded", 500: "server_error", 401: "invalid_request_error"}[status]
		writeJSON(w, status, map[string]any{"error": map[string]any{"message": http.StatusText(status), "type": typ, "param": nil, "code": typ}})
	}
}

// raw answers 200 with body as it is.
func raw(contentType, body string) behaviour {
	return func(w http.ResponseWriter, _ *http.Request, _ wireRequest) {
		w.Header().Set("Content-Type", contentType)
		fmt.Fprint(w, body)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// clock is a clock the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// phrasing is the answers layer's phrasing through client.
func phrasing(t testing.TB, client *openai.Client, timeout time.Duration) (*answers.Phrasing, *answerstest.Stack) {
	st := answerstest.Open(t)
	return &answers.Phrasing{
		Phraser: client, Replies: st.Replies, Verifier: st.Verifier, Timeout: timeout, Recorder: client.Counters(),
	}, st
}
