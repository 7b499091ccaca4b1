package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"policybot/bot"
	"policybot/web"
)

// FuzzChatHandler sends POST /api/chat any body: the answer is never a
// 5xx and always one JSON object, a reply with a session when it is 200
// and an error message otherwise. The seeds run with every go test; run
// go test -fuzz FuzzChatHandler ./web to search further.
func FuzzChatHandler(f *testing.F) {
	engine, _ := newAPIEngine(f)
	h := web.New(web.Config{Log: quiet}, engine).Handler()
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest("POST", "/api/chat", strings.NewReader(`{"text":"我们公司今年招了三个应届生"}`)))
	var started bot.Reply
	if err := json.Unmarshal(first.Body.Bytes(), &started); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{"text":"我们公司今年招了三个应届生，有什么补贴？"}`,
		`{"session":"` + started.Session + `","option":"small"}`,
		`{"session":"` + started.Session + `","text":"都满半年了"}`,
		`{"session":"` + started.Session + `","option":"skip"}`,
		`{"session":"` + started.Session + `","text":"不对，我们是大型企业"}`,
		`{"text":"重新开始"}`, `{"text":"/human"}`, `{"text":"I lost my job this year"}`,
		`{"text":"😀"}`, `{"text":"<script>alert(1)</script>"}`, `{"text":"'; DROP TABLE turns; --"}`,
		`{"text":"\u0000"}`, `{"text":"\ud800"}`, `{"option":"10+"}`, `{"session":"zz","text":"a"}`,
		`{"text":5}`, `{"text":null}`, `{"text":"a","option":"b"}`, `[]`, `{}`, `null`, `"text"`, `{"text":"a"}x`,
		"\xff\xfe", "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest("POST", "/api/chat", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%q: %d %s", body, w.Code, w.Body)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%q: content type %q", body, w.Header().Get("Content-Type"))
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
		if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
			t.Fatalf("%q: not one JSON object: %q", body, w.Body)
		}
		switch {
		case w.Code == http.StatusOK:
			if s, _ := m["session"].(string); !bot.ValidSessionID(s) || m["status"] == "" {
				t.Fatalf("%q: reply without a session or status: %s", body, w.Body)
			}
		case m["error"] == "" || m["error"] == nil:
			t.Fatalf("%q: %d without an error message", body, w.Code)
		}
	})
}
