package openai

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	gopenai "github.com/sashabaranov/go-openai"
)

// maxRetryAfter caps how long a server may ask us to wait.
const maxRetryAfter = 10 * time.Minute

// callInfo is what the transport learns about one call that go-openai's
// errors do not carry: how long a 429 asked to wait.
type callInfo struct {
	retryAfter time.Duration
}

type callInfoKey struct{}

func withCallInfo(ctx context.Context, info *callInfo) context.Context {
	return context.WithValue(ctx, callInfoKey{}, info)
}

// headerDoer reads the Retry-After of a 429 into the call's callInfo.
// go-openai turns a 429 into an APIError without the response headers.
type headerDoer struct {
	next gopenai.HTTPDoer
	now  func() time.Time
}

func (d headerDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.next.Do(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	if info, ok := req.Context().Value(callInfoKey{}).(*callInfo); ok {
		info.retryAfter = retryAfter(resp.Header, d.now())
	}
	return resp, err
}

// retryAfter reads Retry-After (seconds or an HTTP date), or the
// retry-after-ms some compatible servers send.
func retryAfter(h http.Header, now time.Time) time.Duration {
	var d time.Duration
	if ms, err := strconv.ParseFloat(strings.TrimSpace(h.Get("Retry-After-Ms")), 64); err == nil {
		d = time.Duration(ms * float64(time.Millisecond))
	} else if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if secs, err := strconv.ParseFloat(v, 64); err == nil {
			d = time.Duration(secs * float64(time.Second))
		} else if t, err := http.ParseTime(v); err == nil {
			d = t.Sub(now)
		}
	}
	return min(max(d, 0), maxRetryAfter)
}
