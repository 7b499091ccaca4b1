package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"policybot/bot"
)

// apiError is an error a client can act on: a status and a message.
type apiError struct {
	Status  int
	Message string
}

func (e *apiError) Error() string { return e.Message }

func badRequest(msg string) error { return &apiError{Status: http.StatusBadRequest, Message: msg} }

// errorBody is the JSON of every error response.
type errorBody struct {
	Error string `json:"error"`
}

// writeError maps an error to its response in one place: client errors
// keep their status and message; an unreachable database is 503, to be
// retried; anything else is logged and answered 500 without details, since
// its text may say more than a client should know.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, bot.ErrUnavailable):
		// The database is down or restarting: nothing was done, and the
		// same request will work once it is back.
		log.Error("request failed: database unreachable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "5")
		ae = &apiError{Status: http.StatusServiceUnavailable, Message: "the service cannot reach its database; nothing was done, please try again in a moment"}
	default:
		log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		ae = &apiError{Status: http.StatusInternalServerError, Message: "internal error; please try again or call 12333"}
	}
	writeJSON(w, ae.Status, errorBody{Error: ae.Message})
}

// writeJSON writes v as the response, never escaping < > & into \u003c:
// clients render text with textContent, so the plain form is safe and readable.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
