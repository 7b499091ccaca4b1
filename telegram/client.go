package telegram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// outage is a Bot API that is down: it answered 5xx, or could not be
// reached. The library reports every failure as a string; this error,
// returned from its HTTP client, reaches callers wrapped, so they can tell
// an outage (wait and retry) from a refusal (give up).
type outage struct {
	status int   // the HTTP status, if the server answered
	err    error // the transport's error, if it did not
}

func (o *outage) Error() string {
	if o.err != nil {
		return fmt.Sprintf("bot API unreachable: %v", o.err)
	}
	return fmt.Sprintf("bot API answered %d %s", o.status, http.StatusText(o.status))
}

func (o *outage) Unwrap() error { return o.err }

// apiClient is the HTTP client the library calls the Bot API through.
type apiClient struct{ c *http.Client }

// Do sends a request and turns an outage into an *outage. A request its
// caller cancelled stays a plain error: nothing to retry.
func (a apiClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := a.c.Do(req)
	if err != nil {
		if errors.Is(req.Context().Err(), context.Canceled) {
			return nil, err
		}
		return nil, &outage{err: err}
	}
	if resp.StatusCode >= 500 {
		// Drain a little so the connection can be reused; the body of a
		// proxy's 502 page says nothing worth keeping.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		return nil, &outage{status: resp.StatusCode}
	}
	return resp, nil
}
