package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"policybot/web"
)

// Browsers on the allowed origins may call the API; others are refused
// with 403; the server's own pages and clients that are not browsers need
// no permission.
func TestCORS(t *testing.T) {
	s := newAPIServer(t, web.Config{CORSOrigins: []string{"https://www.cq.gov.cn", "https://rlsbj.cq.gov.cn"}})
	body := []byte(`{"text":"灵活就业社保补贴怎么算"}`)

	res := s.call(t, "POST", "/api/chat", body, "Origin", "https://rlsbj.cq.gov.cn")
	if res.status != http.StatusOK || res.header.Get("Access-Control-Allow-Origin") != "https://rlsbj.cq.gov.cn" ||
		!strings.Contains(res.header.Get("Vary"), "Origin") {
		t.Errorf("allowed origin: %d, allow-origin %q, vary %q", res.status, res.header.Get("Access-Control-Allow-Origin"), res.header.Get("Vary"))
	}

	res = s.call(t, "OPTIONS", "/api/chat", nil, "Origin", "https://www.cq.gov.cn",
		"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type")
	if res.status != http.StatusNoContent || res.header.Get("Access-Control-Allow-Origin") != "https://www.cq.gov.cn" ||
		!strings.Contains(res.header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(strings.ToLower(res.header.Get("Access-Control-Allow-Headers")), "content-type") {
		t.Errorf("preflight: %d %v", res.status, res.header)
	}

	for _, origin := range []string{"https://evil.example", "https://www.cq.gov.cn.evil.example", "null", "http://www.cq.gov.cn"} {
		res = s.call(t, "POST", "/api/chat", body, "Origin", origin)
		if msg := errorOf(t, res, http.StatusForbidden); !strings.Contains(msg, "POLICYBOT_CORS_ORIGINS") {
			t.Errorf("%s: error %q", origin, msg)
		}
		if got := res.header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: allow-origin %q", origin, got)
		}
		if res = s.call(t, "OPTIONS", "/api/chat", nil, "Origin", origin); res.status != http.StatusForbidden {
			t.Errorf("%s: preflight %d", origin, res.status)
		}
	}

	res = s.call(t, "POST", "/api/chat", body, "Origin", s.URL)
	if res.status != http.StatusOK || res.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("same origin: %d, allow-origin %q", res.status, res.header.Get("Access-Control-Allow-Origin"))
	}
	if res = s.call(t, "POST", "/api/chat", body); res.status != http.StatusOK {
		t.Errorf("no origin (curl, a server): %d", res.status)
	}
}

// With no origins configured, every cross-origin browser call is refused;
// "*" allows any.
func TestCORSDefaults(t *testing.T) {
	closed := newAPIServer(t, web.Config{})
	errorOf(t, closed.call(t, "GET", "/api/facts", nil, "Origin", "https://www.cq.gov.cn"), http.StatusForbidden)
	open := newAPIServer(t, web.Config{CORSOrigins: []string{"*"}})
	res := open.call(t, "GET", "/api/facts", nil, "Origin", "https://anywhere.example")
	if res.status != http.StatusOK || res.header.Get("Access-Control-Allow-Origin") != "https://anywhere.example" {
		t.Errorf("with *: %d %q", res.status, res.header.Get("Access-Control-Allow-Origin"))
	}
}

// Each client gets its rate per minute, refilled continuously; over it,
// 429 with Retry-After in seconds. The clock is the server's, moved by hand.
func TestRateLimit(t *testing.T) {
	s := newAPIServer(t, web.Config{RatePerMin: 3})
	body := []byte(`{"text":"灵活就业社保补贴怎么算"}`)
	for i := range 3 {
		if res := s.call(t, "POST", "/api/chat", body); res.status != http.StatusOK {
			t.Fatalf("request %d: %d %s", i+1, res.status, res.body)
		}
	}
	res := s.call(t, "POST", "/api/chat", body)
	errorOf(t, res, http.StatusTooManyRequests)
	if got := res.header.Get("Retry-After"); got != "20" { // 3 a minute: one every 20 s
		t.Errorf("Retry-After %q, want 20", got)
	}
	// Every API route shares the budget; health and metrics do not count.
	errorOf(t, s.call(t, "GET", "/api/facts", nil), http.StatusTooManyRequests)
	if res := s.call(t, "GET", "/healthz", nil); res.status != http.StatusOK {
		t.Errorf("/healthz limited: %d", res.status)
	}

	s.clock.Advance(15 * time.Second)
	res = s.call(t, "POST", "/api/chat", body)
	if got := res.header.Get("Retry-After"); res.status != http.StatusTooManyRequests || got != "5" {
		t.Errorf("after 15 s: %d, Retry-After %q; want 429, 5", res.status, got)
	}
	s.clock.Advance(5 * time.Second)
	if res := s.call(t, "POST", "/api/chat", body); res.status != http.StatusOK {
		t.Errorf("after 20 s: %d", res.status)
	}
	s.clock.Advance(time.Hour) // a full bucket, not sixty requests' worth
	for i := range 4 {
		res := s.call(t, "POST", "/api/chat", body)
		if want := map[bool]int{true: 200, false: 429}[i < 3]; res.status != want {
			t.Errorf("after an hour, request %d: %d, want %d", i+1, res.status, want)
		}
	}
}
