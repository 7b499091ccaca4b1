package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/web"
)

// benchDialogue is what each benchmark client sends, over and over: a
// check with free text and buttons, then a question about the notice.
var benchDialogue = []map[string]any{
	{"text": "我们公司今年招了三个应届生，有什么补贴？"},
	{"option": "small"},
	{"text": "都满半年了"},
	{"text": "我们一共二十个人"},
	{"option": "skip"},
	{"text": "灵活就业社保补贴怎么算？"},
}

// BenchmarkHTTPChat is POST /api/chat through a real HTTP server, each
// turn committed to SQLite before its reply, from 16 concurrent clients
// (8 per core on the 2-core machine), each holding its own conversations.
// It reports requests per second and the 50th and 99th percentile
// latency.
func BenchmarkHTTPChat(b *testing.B) {
	s := newAPIServer(b, web.Config{})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var (
		mu        sync.Mutex
		latencies []time.Duration
	)
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		session, step := "", 0
		var mine []time.Duration
		for pb.Next() {
			msg := map[string]any{"session": session}
			for k, v := range benchDialogue[step] {
				msg[k] = v
			}
			body, _ := json.Marshal(msg)
			t0 := time.Now()
			res, err := client.Post(s.URL+"/api/chat", "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			data, _ := io.ReadAll(res.Body)
			res.Body.Close()
			mine = append(mine, time.Since(t0))
			var r bot.Reply
			if res.StatusCode != http.StatusOK || json.Unmarshal(data, &r) != nil {
				b.Errorf("%d %s", res.StatusCode, data)
				return
			}
			session, step = r.Session, step+1
			if step == len(benchDialogue) {
				session, step = "", 0
			}
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
}
