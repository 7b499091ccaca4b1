package web

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// MetricsAccess says who may read /metrics, which tells how much the
// service is used and how it fails: by default anyone who reaches the
// server, as before.
type MetricsAccess struct {
	// Elsewhere takes /metrics off the main listener: it is served only by
	// RunMetrics, on an address of its own.
	Elsewhere bool
	// Token, when set, must come as "Authorization: Bearer TOKEN"; any
	// other request gets 401.
	Token string
}

// metricsHandler is /metrics behind its token, if one is set.
func (s *Server) metricsHandler() http.Handler {
	h := s.metrics.handler()
	token := s.cfg.Metrics.Token
	if token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: "send the metrics token as Authorization: Bearer TOKEN"})
			return
		}
		h.ServeHTTP(w, r)
	})
}
