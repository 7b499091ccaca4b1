package openai_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

func TestCountersOnMetrics(t *testing.T) {
	model := newLoopback(t, says(grounded))
	client := model.client(t, model.config())
	p, st := phrasing(t, client, time.Second)
	a := askGraduates(t, st)
	p.Reply(context.Background(), a, nil)
	model.become(says(strings.Replace(grounded, "2000", "3000", 1)))
	p.Reply(context.Background(), a, nil)
	model.become(fails(http.StatusBadGateway, nil))
	p.Reply(context.Background(), a, nil)

	reg := prometheus.NewRegistry()
	if err := reg.Register(client.Counters()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		"policybot_llm_calls_total 3",
		`policybot_llm_phrasings_total{outcome="used"} 1`,
		`policybot_llm_phrasings_total{outcome="rejected_by_verification"} 1`,
		`policybot_llm_failures_total{kind="server"} 1`,
		`policybot_llm_failures_total{kind="timeout"} 0`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
}
