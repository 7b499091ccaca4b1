package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// request sends one request of a load and reports whether it got the
// answer it wants; an error is a wrong answer (a 5xx, a malformed reply),
// not a server gone.
type request func(ctx context.Context, c *http.Client, worker int) error

// stats are what a load measured.
type stats struct {
	ok        int             // requests answered as wanted before the load ended
	failed    int             // wrong answers before it ended
	firstErr  error           // the first of them
	elapsed   time.Duration   // from the first request to the end
	latencies []time.Duration // of the answers wanted, sorted
}

func (s stats) perSecond() float64 { return float64(s.ok) / s.elapsed.Seconds() }

func (s stats) percentile(p float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	return s.latencies[min(len(s.latencies)-1, int(p*float64(len(s.latencies))))]
}

// driveOption changes how a load ends.
type driveOption func(*driveConfig)

type driveConfig struct {
	end  func()      // called when the load ends, before the workers stop
	more func() bool // the load goes on past its duration while this holds
}

// withEnd runs end when the load's time is up, while requests are still in
// flight (the kill -9).
func withEnd(end func()) driveOption { return func(c *driveConfig) { c.end = end } }

// whileMore keeps the load going past its duration while more holds.
func whileMore(more func() bool) driveOption { return func(c *driveConfig) { c.more = more } }

// drive sends requests from conns workers, each on its own kept-alive
// connection, for at least d, and measures them.
func drive(ctx context.Context, conns int, d time.Duration, send request, opts ...driveOption) (stats, error) {
	var cfg driveConfig
	for _, o := range opts {
		o(&cfg)
	}
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			DisableCompression:  true,
		},
	}
	defer client.CloseIdleConnections()
	var (
		mu       sync.Mutex
		all      []time.Duration
		failed   int
		firstErr error
		ended    atomic.Bool
		wg       sync.WaitGroup
	)
	loadCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	for w := range conns {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			var badErr error
			for loadCtx.Err() == nil {
				t0 := time.Now()
				err := send(loadCtx, client, w)
				if ended.Load() {
					break // answered or not, it came after the end
				}
				if err != nil {
					if loadCtx.Err() != nil {
						break
					}
					bad++
					if badErr == nil {
						badErr = err
					}
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			all = append(all, mine...)
			failed += bad
			if firstErr == nil {
				firstErr = badErr
			}
			mu.Unlock()
		})
	}
	timer := time.NewTimer(d)
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
	for cfg.more != nil && cfg.more() && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
	}
	elapsed := time.Since(start)
	ended.Store(true)
	if cfg.end != nil {
		cfg.end()
	}
	cancel()
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return stats{}, err
	}
	slices.Sort(all)
	s := stats{ok: len(all), failed: failed, firstErr: firstErr, elapsed: elapsed, latencies: all}
	if s.ok == 0 {
		return s, fmt.Errorf("no request answered (first error: %v)", firstErr)
	}
	return s, nil
}

// healthz is GET /healthz, wanting 200.
func healthz(base string) request {
	return func(ctx context.Context, c *http.Client, _ int) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
		if err != nil {
			return err
		}
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusOK {
			return errors.New("GET /healthz: " + res.Status)
		}
		return nil
	}
}
