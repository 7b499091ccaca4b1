package web

import (
	"net/http"
	"slices"
)

// cors lets the widget on other sites call the API, from the origins in
// Config.CORSOrigins only. A request from another origin is refused with
// 403 rather than answered for a browser that would then hide it.
func (s *Server) cors(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || sameOrigin(r, origin) {
			h.ServeHTTP(w, r)
			return
		}
		if !s.allowed(origin) {
			writeJSON(w, http.StatusForbidden, errorBody{Error: "origin " + origin + " may not use this API (POLICYBOT_CORS_ORIGINS)"})
			return
		}
		hd := w.Header()
		hd.Add("Vary", "Origin")
		hd.Set("Access-Control-Allow-Origin", origin)
		hd.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		hd.Set("Access-Control-Allow-Headers", "Content-Type")
		hd.Set("Access-Control-Max-Age", "600")
		h.ServeHTTP(w, r)
	})
}

func (s *Server) allowed(origin string) bool {
	return slices.Contains(s.cfg.CORSOrigins, "*") || slices.Contains(s.cfg.CORSOrigins, origin)
}

// sameOrigin reports whether the page that sent the request is this server's own.
func sameOrigin(r *http.Request, origin string) bool {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return origin == scheme+"://"+r.Host
}
