package web_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"policybot/answers"
	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/corpus"
	"policybot/openai"
	"policybot/web"
)

// event is one server-sent event as the widget reads it.
type event struct {
	name string
	data string
}

// streamChat posts to /api/chat/stream and reads every event.
func streamChat(t *testing.T, url, body string) (*http.Response, []event) {
	t.Helper()
	res, err := http.Post(url+"/api/chat/stream", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		io.Copy(io.Discard, res.Body)
		return res, nil
	}
	var out []event
	var cur event
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data += strings.TrimPrefix(line, "data: ")
		case line == "":
			out = append(out, cur)
			cur = event{}
		}
	}
	return res, out
}

// loopbackModel speaks the chat completions API, streaming the pieces given.
func loopbackModel(t *testing.T, pieces ...string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Stream bool `json:"stream"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		if !req.Stream {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"c","object":"chat.completion","created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"stop"}]}`, strings.Join(pieces, ""))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, p := range pieces {
			chunk, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m",
				"choices": []map[string]any{{"index": 0, "delta": map[string]string{"content": p}}}})
			fmt.Fprintf(w, "data: %s\n\n", chunk)
			w.(http.Flusher).Flush()
		}
		fmt.Fprint(w, "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
	}))
	t.Cleanup(srv.Close)
	return srv
}

// newPhrasedServer is the API over an engine whose answers a loopback model
// phrases, through the real go-openai client.
func newPhrasedServer(t *testing.T, model *httptest.Server) *httptest.Server {
	t.Helper()
	v, err := answers.LoadVerifier(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	client, err := openai.New(openai.Config{BaseURL: model.URL + "/v1", APIKey: "k", Model: "m", Timeout: 5 * time.Second}, v.Prompts())
	if err != nil {
		t.Fatal(err)
	}
	replies := bottest.Shared(t).Replies
	phrased, _ := bottest.Engine(t, apiToday, func(c *bot.Config) {
		c.Log, c.Verifier = quiet, v
		c.Phrasing = &answers.Phrasing{Phraser: client, Replies: replies, Verifier: v, Timeout: 6 * time.Second}
	})
	srv := httptest.NewServer(web.New(web.Config{Log: quiet}, phrased).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// TestChatStreamWithoutModel: with no model there is nothing to stream:
// one event carries the reply /api/chat would give.
func TestChatStreamWithoutModel(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	res, events := streamChat(t, s.URL, `{"text":"应届生吸纳补贴多少钱"}`)
	if res.StatusCode != http.StatusOK || len(events) != 1 || events[0].name != "reply" {
		t.Fatalf("status %d, events %+v", res.StatusCode, events)
	}
	var reply bot.Reply
	if err := json.Unmarshal([]byte(events[0].data), &reply); err != nil {
		t.Fatal(err)
	}
	if reply.Session == "" || reply.Turn == 0 || len(reply.Citations) == 0 || !strings.Contains(reply.Reply, "2000元/人") {
		t.Errorf("reply %+v", reply)
	}
	// Refused before anything is streamed: the plain JSON error.
	res, events = streamChat(t, s.URL, `{"text":""}`)
	if res.StatusCode != http.StatusBadRequest || events != nil {
		t.Errorf("empty text: status %d, events %v", res.StatusCode, events)
	}
}

// TestChatStreamVerified: a grounded, phrased answer arrives sentence by
// sentence, then the committed reply with the structured citations.
func TestChatStreamVerified(t *testing.T) {
	model := loopbackModel(t, "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，", "按规定可获得2000元/人的一次性吸纳就业补贴[1]。")
	srv := newPhrasedServer(t, model)
	_, events := streamChat(t, srv.URL, `{"text":"应届生吸纳补贴多少钱"}`)
	if len(events) < 2 || events[len(events)-1].name != "reply" {
		t.Fatalf("events %+v", events)
	}
	var pieces strings.Builder
	for _, e := range events[:len(events)-1] {
		var p struct{ Text string }
		json.Unmarshal([]byte(e.data), &p)
		if e.name != "piece" {
			t.Errorf("event %q before the reply", e.name)
		}
		pieces.WriteString(p.Text)
	}
	if !strings.Contains(pieces.String(), "按规定可获得2000元/人的一次性吸纳就业补贴") || strings.Contains(pieces.String(), "[1]") {
		t.Errorf("streamed %q", pieces.String())
	}
	var reply bot.Reply
	json.Unmarshal([]byte(events[len(events)-1].data), &reply)
	// The reply is what was streamed, then whatever the turn adds after
	// the answer (here, a follow-up question: 应届生 starts a check).
	if !strings.HasPrefix(reply.Reply, pieces.String()) || len(reply.Citations) == 0 || reply.Citations[0].Clause != 3 {
		t.Errorf("reply %q with citations %+v; streamed %q", reply.Reply, reply.Citations, pieces.String())
	}
}

// TestChatStreamStopsInventedFigure: a sentence with a figure the sources
// do not hold is never streamed; the quoted answer follows instead.
func TestChatStreamStopsInventedFigure(t *testing.T) {
	model := loopbackModel(t, "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，", "按规定可获得3000元/人的一次性吸纳就业补贴[1]。")
	srv := newPhrasedServer(t, model)
	_, events := streamChat(t, srv.URL, `{"text":"应届生吸纳补贴多少钱"}`)
	if len(events) == 0 || events[len(events)-1].name != "reply" {
		t.Fatalf("events %+v", events)
	}
	for _, e := range events {
		if strings.Contains(e.data, "3000") {
			t.Errorf("the invented figure reached the client in %q: %s", e.name, e.data)
		}
	}
	var reply bot.Reply
	json.Unmarshal([]byte(events[len(events)-1].data), &reply)
	if !strings.Contains(reply.Reply, "【2000元/人】") {
		t.Errorf("the reply is not the quoted answer: %q", reply.Reply)
	}
}
