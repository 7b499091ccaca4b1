package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	gopenai "github.com/sashabaranov/go-openai"
)

// FailureKind says why a call to the model gave no usable text.
type FailureKind string

// Kinds of failure, for logs and metrics.
const (
	Timeout     FailureKind = "timeout"      // the deadline passed
	RateLimited FailureKind = "rate_limited" // 429
	ServerError FailureKind = "server"       // 5xx
	ClientError FailureKind = "client"       // other 4xx: key, model or request refused
	Transport   FailureKind = "transport"    // no HTTP answer: refused, reset, DNS
	Malformed   FailureKind = "malformed"    // a body that is not the API's JSON
	Empty       FailureKind = "empty"        // no choices, or no text in them
	Truncated   FailureKind = "truncated"    // cut off: length limit, or a stream that stopped early
	Paused      FailureKind = "paused"       // not called: failures paused calls
	Canceled    FailureKind = "canceled"     // the caller gave up first
)

// Error is a failed call: its kind, and how long the server asked to wait.
type Error struct {
	Kind       FailureKind
	RetryAfter time.Duration // from a 429's Retry-After
	Err        error
}

func (e *Error) Error() string { return fmt.Sprintf("model %s: %v", e.Kind, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// Errors of replies that came back but carry no usable text.
var (
	ErrPaused       = errors.New("calls paused after repeated failures")
	errNoChoices    = errors.New("completion has no choices")
	errNoText       = errors.New("completion has no text")
	errCutOff       = errors.New("completion cut off at the length limit")
	errStreamCutOff = errors.New("stream ended without a finish reason")
)

// classify names the kind of a call's failure. parent is the caller's
// context, call the one with the call's own deadline.
func classify(parent, call context.Context, err error) FailureKind {
	switch {
	case errors.Is(parent.Err(), context.Canceled):
		return Canceled
	case errors.Is(call.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return Timeout
	case errors.Is(err, errNoChoices), errors.Is(err, errNoText):
		return Empty
	case errors.Is(err, errCutOff), errors.Is(err, errStreamCutOff):
		return Truncated
	}
	if status := httpStatus(err); status != 0 {
		switch {
		case status == http.StatusTooManyRequests:
			return RateLimited
		case status >= 500:
			return ServerError
		case status >= 400:
			return ClientError
		}
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syntax) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) {
		return Malformed
	}
	return Transport
}

// httpStatus is the HTTP status go-openai reports with an error, or 0. An
// API error without one came as an error event inside a 200 stream: the
// server failed mid-answer.
func httpStatus(err error) int {
	var api *gopenai.APIError
	if errors.As(err, &api) {
		if api.HTTPStatusCode == 0 {
			return http.StatusInternalServerError
		}
		return api.HTTPStatusCode
	}
	var req *gopenai.RequestError
	if errors.As(err, &req) {
		return req.HTTPStatusCode
	}
	return 0
}
