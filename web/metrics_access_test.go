package web_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"policybot/web"
)

// TestMetricsToken: with a token set, /metrics answers 401 without it or
// with another, and the series with it. Before, anyone could read it.
func TestMetricsToken(t *testing.T) {
	s := newAPIServer(t, web.Config{Metrics: web.MetricsAccess{Token: "s3cret-token"}})
	for name, auth := range map[string]string{"none": "", "wrong": "Bearer nope", "not bearer": "Basic s3cret-token"} {
		res := s.call(t, http.MethodGet, "/metrics", nil, "Authorization", auth)
		if res.status != http.StatusUnauthorized || strings.Contains(string(res.body), "go_goroutines") {
			t.Errorf("%s: %d, want 401 and no series", name, res.status)
		}
	}
	res := s.call(t, http.MethodGet, "/metrics", nil, "Authorization", "Bearer s3cret-token")
	if res.status != http.StatusOK || !strings.Contains(string(res.body), "go_goroutines") {
		t.Errorf("with the token: %d\n%.300s", res.status, res.body)
	}
}

// TestMetricsElsewhere: bound to an address of its own, /metrics is not on
// the main listener and is on that one.
func TestMetricsElsewhere(t *testing.T) {
	e, _ := newAPIEngine(t)
	srv := web.New(web.Config{Log: quiet, Metrics: web.MetricsAccess{Elsewhere: true}}, e)
	main := httptest.NewServer(srv.Handler())
	defer main.Close()
	res, err := http.Get(main.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the main listener: %d, want 404", res.StatusCode)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.RunMetrics(ctx, ln) }()
	res, err = http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "go_goroutines") {
		t.Errorf("/metrics on its own listener: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunMetrics: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunMetrics did not stop with its context")
	}
}
