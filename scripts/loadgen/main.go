// Command loadgen posts chat turns to one or more policybot servers from
// concurrent connections for a while and prints turns per second and the
// latency percentiles. Each request is a fresh question in a new
// conversation; the servers are taken in turn, as a round-robin proxy
// would. It sends only to the URLs it is given (loopback in
// scripts/instances-load.sh).
//
//	go run ./scripts/loadgen -urls http://127.0.0.1:18081,http://127.0.0.1:18082 -c 32 -d 20s
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var questions = []string{
	"高校毕业生有什么补贴？", "稳岗返还的比例是多少？", "灵活就业社保补贴怎么算？",
	"招了三个应届生能领多少钱？", "创业担保贷款最高多少？", "失业人员怎么领补助？",
}

func main() {
	urls := flag.String("urls", "http://127.0.0.1:8080", "servers, comma-separated, taken in turn")
	conns := flag.Int("c", 32, "concurrent connections")
	dur := flag.Duration("d", 20*time.Second, "how long to send")
	flag.Parse()
	targets := strings.Split(*urls, ",")
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *conns}}
	var (
		next     atomic.Int64
		mu       sync.Mutex
		lat      []time.Duration
		failures = map[int]int{}
		wg       sync.WaitGroup
	)
	deadline := time.Now().Add(*dur)
	for range *conns {
		wg.Go(func() {
			var mine []time.Duration
			for time.Now().Before(deadline) {
				n := next.Add(1)
				body, _ := json.Marshal(map[string]string{"text": fmt.Sprintf("第%d问：%s", n, questions[n%int64(len(questions))])})
				start := time.Now()
				res, err := client.Post(targets[n%int64(len(targets))]+"/api/chat", "application/json", bytes.NewReader(body))
				code := 0
				if err == nil {
					io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				if code != http.StatusOK {
					mu.Lock()
					failures[code]++
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(lat) == 0 {
		fmt.Fprintln(os.Stderr, "loadgen: no request succeeded; failures by status (0: no response):", failures)
		os.Exit(1)
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("servers %d, connections %d, %s: %d turns, %.0f turns/s, p50 %s, p99 %s, failed %v\n",
		len(targets), *conns, *dur, len(lat), float64(len(lat))/dur.Seconds(),
		pct(0.50).Round(100*time.Microsecond), pct(0.99).Round(100*time.Microsecond), failures)
}
