package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestClientAddress: behind a trusted proxy the client is the last address
// it forwarded; a client's own X-Forwarded-For, or one from an untrusted
// peer, is not believed.
func TestClientAddress(t *testing.T) {
	proxies, err := ParsePrefixes("10.0.0.0/8, 127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{TrustedProxies: proxies}}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"untrusted peer's header ignored", "203.0.113.7:5000", []string{"198.51.100.1"}, "203.0.113.7"},
		{"one trusted proxy", "127.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"spoofed hop before the real one", "127.0.0.1:5000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},
		{"two trusted proxies", "10.0.0.2:5000", []string{"198.51.100.1, 10.0.0.9"}, "198.51.100.1"},
		{"header lines joined", "10.0.0.2:5000", []string{"1.2.3.4", "198.51.100.1"}, "198.51.100.1"},
		{"malformed chain", "127.0.0.1:5000", []string{"198.51.100.1, not-an-ip"}, "127.0.0.1"},
		{"only proxies", "127.0.0.1:5000", []string{"10.0.0.1"}, "127.0.0.1"},
	}
	for _, c := range cases {
		var got string
		h := s.withClient(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = clientAddr(r) }))
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s: client %q, want %q", c.name, got, c.want)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("a bad prefix was accepted")
	}
}
