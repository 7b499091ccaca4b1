package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestWidgetScript checks how /widget.js is served: as JavaScript any site
// may load, cached briefly and revalidated by ETag, with every test hook
// the issue names.
func TestWidgetScript(t *testing.T) {
	r := newRig(t, rigOptions{})
	c := staffClient(t)
	res, body := do(t, c, http.MethodGet, r.srv.URL+"/widget.js", nil, nil)
	h := res.Header
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") ||
		h.Get("Cache-Control") != "public, max-age=300" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("Cross-Origin-Resource-Policy") != "cross-origin" || h.Get("ETag") == "" {
		t.Errorf("GET /widget.js: %d %v", res.StatusCode, h)
	}
	for _, id := range []string{"policybot-launcher", "policybot-input", "policybot-send", "policybot-messages", "policybot-option"} {
		if !strings.Contains(body, "'"+id+"'") {
			t.Errorf("widget.js has no data-testid %s", id)
		}
	}
	res, _ = do(t, c, http.MethodGet, r.srv.URL+"/widget.js", nil, map[string]string{"If-None-Match": h.Get("ETag")})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", res.StatusCode)
	}
}

// TestScriptsWriteNoHTML checks the rule the widget and console live by:
// text from users or the server goes into the page with textContent, so
// no script uses an API that parses HTML or code.
func TestScriptsWriteNoHTML(t *testing.T) {
	r := newRig(t, rigOptions{})
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\('on|\.on[a-z]+ =`)
	for _, path := range []string{"/widget.js", "/assets/staff.js"} {
		res, body := do(t, staffClient(t), http.MethodGet, r.srv.URL+path, nil, nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		if m := sinks.FindAllString(body, -1); len(m) > 0 {
			t.Errorf("%s uses %q", path, m)
		}
	}
}

// TestPagesCarryCSP checks every page the server renders: a strict
// Content-Security-Policy, and nothing in the page that it would block
// (inline scripts, event-handler or style attributes).
func TestPagesCarryCSP(t *testing.T) {
	r := newRig(t, rigOptions{})
	staff := staffClient(t)
	mustSignIn(t, staff, r)
	const policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
	inline := regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]|\son[a-z]+\s*=|\sstyle\s*=`)
	scriptTag := regexp.MustCompile(`(?i)<script\b[^>]*>`)
	pages := []struct {
		path   string
		client *http.Client
		want   string
	}{
		{"/", staffClient(t), `<script src="/widget.js" defer>`},
		{"/staff/login", staffClient(t), `name="password"`},
		{"/staff", staff, `<script src="/assets/staff.js" defer>`},
	}
	for _, p := range pages {
		res, body := do(t, p.client, http.MethodGet, r.srv.URL+p.path, nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, p.want) {
			t.Errorf("GET %s: %d, no %s", p.path, res.StatusCode, p.want)
			continue
		}
		if got := res.Header.Get("Content-Security-Policy"); got != policy {
			t.Errorf("%s: CSP %q, want %q", p.path, got, policy)
		}
		if res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: headers %v", p.path, res.Header)
		}
		if m := inline.FindAllString(body, -1); len(m) > 0 {
			t.Errorf("%s has inline code or style the CSP blocks: %q", p.path, m)
		}
		for _, tag := range scriptTag.FindAllString(body, -1) {
			if !strings.Contains(tag, `src="/`) {
				t.Errorf("%s: script %s is not one of the server's files", p.path, tag)
			}
		}
	}
	res, body := do(t, staffClient(t), http.MethodGet, r.srv.URL+"/", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, r.srv.URL+"/widget.js") {
		t.Errorf("the demo page's snippet does not name this server (%s)", r.srv.URL)
	}
}

// TestAssets checks /assets/: scripts and styles are served, the page
// templates and unknown names are not.
func TestAssets(t *testing.T) {
	r := newRig(t, rigOptions{})
	cases := []struct {
		path   string
		status int
		ctype  string
	}{
		{"/assets/page.css", http.StatusOK, "text/css"},
		{"/assets/staff.css", http.StatusOK, "text/css"},
		{"/assets/staff.js", http.StatusOK, "text/javascript"},
		{"/assets/demo.html", http.StatusNotFound, ""},
		{"/assets/staff.html", http.StatusNotFound, ""},
		{"/assets/nothing.js", http.StatusNotFound, ""},
	}
	for _, c := range cases {
		res, _ := do(t, staffClient(t), http.MethodGet, r.srv.URL+c.path, nil, nil)
		if res.StatusCode != c.status || !strings.HasPrefix(res.Header.Get("Content-Type"), c.ctype) {
			t.Errorf("GET %s: %d %s, want %d %s", c.path, res.StatusCode, res.Header.Get("Content-Type"), c.status, c.ctype)
		}
	}
}

// TestWidgetCrossOrigin checks that the widget's API calls from a page on
// another site work when, and only when, POLICYBOT_CORS_ORIGINS lists it.
func TestWidgetCrossOrigin(t *testing.T) {
	const site = "https://www.example.gov.cn"
	r := newRig(t, rigOptions{cors: []string{site}})
	c := staffClient(t)
	preflight := map[string]string{"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
	for origin, want := range map[string]int{site: http.StatusNoContent, "https://elsewhere.example": http.StatusForbidden} {
		h := map[string]string{"Origin": origin}
		for k, v := range preflight {
			h[k] = v
		}
		res, _ := do(t, c, http.MethodOptions, r.srv.URL+"/api/chat", nil, h)
		allow := res.Header.Get("Access-Control-Allow-Origin")
		if res.StatusCode != want || (want == http.StatusNoContent) != (allow == origin) {
			t.Errorf("preflight from %s: %d, allow %q; want %d", origin, res.StatusCode, allow, want)
		}
	}
	res, body := do(t, c, http.MethodPost, r.srv.URL+"/api/chat", strings.NewReader(`{"text":"招用高校毕业生有什么补贴"}`),
		map[string]string{"Origin": site, "Content-Type": "application/json"})
	if res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != site || !strings.Contains(body, `"citations":[{`) {
		t.Errorf("chat from %s: %d, allow %q\n%s", site, res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"), body)
	}
	var reply struct {
		Session string `json:"session"`
		Turn    int64  `json:"turn"`
	}
	if err := json.Unmarshal([]byte(body), &reply); err != nil {
		t.Fatal(err)
	}
	res, _ = do(t, c, http.MethodPost, r.srv.URL+"/api/feedback",
		strings.NewReader(fmt.Sprintf(`{"session":%q,"turn":%d,"helpful":true}`, reply.Session, reply.Turn)),
		map[string]string{"Origin": site, "Content-Type": "application/json"})
	if res.StatusCode != http.StatusOK || res.Header.Get("Access-Control-Allow-Origin") != site {
		t.Errorf("feedback from %s: %d", site, res.StatusCode)
	}
}
