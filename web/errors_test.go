package web_test

import (
	"net/http"
	"strings"
	"testing"

	"policybot/web"
)

// goWords are what Go says of its own types and packages: an error message
// for a client must speak of the request's fields and JSON's kinds instead.
var goWords = []string{"interface {}", "map[", "[]", "float64", "int64", "json:", "struct", "(string)", "(bool)"}

// TestErrorsSpeakOfFields sends bodies of the wrong shape to every JSON
// route and checks that each error names what was sent in the request's
// terms. Before, a profile's fact of the wrong kind answered "have map[a:1]
// (map[string]interface {})" and an unknown field "invalid JSON: json:
// unknown field".
func TestErrorsSpeakOfFields(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	cases := []struct {
		path, body, says string
	}{
		{"/api/eligibility", `{"facts": {"role": []}}`, "an array"},
		{"/api/eligibility", `{"facts": {"role": {"a": 1}}}`, "an object"},
		{"/api/eligibility", `{"facts": {"role": 5}}`, "have 5"},
		{"/api/eligibility", `{"facts": {"graduates_hired": 1.5}}`, "have 1.5"},
		{"/api/eligibility", `{"facts": {"graduates_hired": "many"}}`, `have "many"`},
		{"/api/eligibility", `{"facts": {"graduates_hired": []}}`, "an array"},
		{"/api/eligibility", `{"facts": {"veteran": "yes"}}`, `have "yes"`},
		{"/api/eligibility", `{"facts": {"veteran": null}}`, "null"},
		{"/api/eligibility", `{"facts": []}`, `"facts"`},
		{"/api/eligibility", `{"facts": {}, "extra": 1}`, `unknown field "extra"`},
		{"/api/chat", `{"text": "补贴", "x": 1}`, `unknown field "x"`},
		{"/api/chat", `{"text": ["补贴"]}`, `"text"`},
		{"/api/feedback", `{"session": 5, "turn": 1, "helpful": true}`, `"session"`},
		{"/api/feedback", `{"turn": "1", "helpful": true}`, `"turn"`},
	}
	for _, c := range cases {
		msg := errorOf(t, s.call(t, http.MethodPost, c.path, []byte(c.body)), http.StatusBadRequest)
		if !strings.Contains(msg, c.says) {
			t.Errorf("POST %s %s: %q, want it to say %s", c.path, c.body, msg, c.says)
		}
		for _, w := range goWords {
			if strings.Contains(msg, w) {
				t.Errorf("POST %s %s: %q speaks Go (%s)", c.path, c.body, msg, w)
			}
		}
	}
}
