package telegram

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// secretHeader carries the secret Telegram was given with setWebhook.
const secretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Webhook is the handler Telegram posts updates to, mounted at WebhookPath.
// It answers 401 to a request without the right secret (compared in
// constant time), 413 to a body over MaxBody, 400 to one that is not JSON,
// and hands the rest to the library, which queues the update and answers
// 200. (The library alone would answer 200 to a wrong secret.)
func (c *Channel) Webhook() http.Handler {
	inner := c.api.WebhookHandler()
	want := sha256.Sum256([]byte(c.cfg.WebhookSecret))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeJSON(w, http.StatusMethodNotAllowed, "POST only")
			return
		}
		// Hashes of equal length, so the comparison tells nothing of the
		// secret's length either.
		got := sha256.Sum256([]byte(r.Header.Get(secretHeader)))
		if c.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			c.metrics.errors.WithLabelValues("webhook", "unauthorized").Inc()
			writeJSON(w, http.StatusUnauthorized, "wrong or missing secret token")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			c.metrics.errors.WithLabelValues("webhook", "too_large").Inc()
			writeJSON(w, http.StatusRequestEntityTooLarge, "body too large")
			return
		case err != nil:
			writeJSON(w, http.StatusBadRequest, "unreadable body")
			return
		case !json.Valid(body):
			c.metrics.errors.WithLabelValues("webhook", "malformed").Inc()
			writeJSON(w, http.StatusBadRequest, "body is not JSON")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		inner(w, r)
	})
}

// writeJSON answers with a JSON error, as the rest of the server does.
func writeJSON(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
