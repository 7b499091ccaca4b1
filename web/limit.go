package web

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// limiter allows each client a number of API requests per minute, refilled
// continuously (a token bucket per client address).
type limiter struct {
	perMin  int
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(perMin int, now func() time.Time) *limiter {
	return &limiter{perMin: perMin, now: now, buckets: map[string]*bucket{}}
}

// take spends a token of client; when none is left it says how long until one is.
func (l *limiter) take(client string) (bool, time.Duration) {
	if l.perMin <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	rate := float64(l.perMin) / 60 // tokens per second
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets { // forget clients idle long enough to be full again
			if now.Sub(b.last).Seconds()*rate >= float64(l.perMin) {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[client]
	if b == nil {
		b = &bucket{tokens: float64(l.perMin), last: now}
		l.buckets[client] = b
	}
	b.tokens = math.Min(float64(l.perMin), b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) / rate * float64(time.Second))
	}
	b.tokens--
	return true, 0
}

// limit answers 429 with Retry-After to a client over its rate.
func (s *Server) limit(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := s.limiter.take(clientAddr(r))
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeJSON(w, http.StatusTooManyRequests, errorBody{Error: "too many requests; try again in a moment"})
			return
		}
		h.ServeHTTP(w, r)
	})
}
