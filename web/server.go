package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Config is how the server is set up; cmd fills it from flags and the
// environment.
type Config struct {
	Addr        string       // listen address, 127.0.0.1:8080
	CORSOrigins []string     // origins allowed to call the API from a browser; "*" for any
	RatePerMin  int          // API requests per minute per client (0: no limit)
	Staff       *StaffConfig // the hotline staff console at /staff; nil: not served
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed when they are the peer; empty: the peer is the client.
	TrustedProxies []netip.Prefix
	Now            func() time.Time
	Log            *slog.Logger
}

// Server serves the API, widget and console on one listener.
type Server struct {
	cfg     Config
	engine  Engine
	metrics *metrics
	limiter *limiter
	log     *slog.Logger
	extra   []route // handlers other channels mount (the Telegram webhook, WeChat)
}

type route struct {
	pattern string
	h       http.Handler
}

// New returns a server for the engine.
func New(cfg Config, engine Engine) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Server{
		cfg: cfg, engine: engine, metrics: newMetrics(), log: cfg.Log,
		limiter: newLimiter(cfg.RatePerMin, cfg.Now),
	}
}

// Register adds Prometheus collectors of other parts to /metrics.
func (s *Server) Register(cs ...prometheus.Collector) error { return s.metrics.Register(cs...) }

// Mount adds a handler for another channel (the Telegram webhook, the
// WeChat server URL) before the server starts.
func (s *Server) Mount(pattern string, h http.Handler) {
	s.extra = append(s.extra, route{pattern, h})
}

// ownPaths are the paths the server serves itself, with the paths under
// them; keep it in step with Handler.
var ownPaths = []string{"/api", "/staff", "/assets", "/healthz", "/metrics", "/widget.js"}

// Reserved reports whether the server serves path itself (or paths under
// it), so that another channel must not be mounted there.
func Reserved(path string) bool {
	if path == "/" {
		return true
	}
	for _, p := range ownPaths {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// Handler is every route of the server.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	api := func(pattern, name string, h http.HandlerFunc) {
		mux.Handle(pattern, s.metrics.instrument(name, s.cors(s.limit(h))))
	}
	api("POST /api/chat", "chat", s.handleChat)
	api("POST /api/chat/stream", "chat_stream", s.handleChatStream)
	api("POST /api/eligibility", "eligibility", s.handleEligibility)
	api("GET /api/facts", "facts", s.handleFacts)
	api("POST /api/feedback", "feedback", s.handleFeedback)
	mux.Handle("OPTIONS /api/", s.cors(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	s.mountWidget(mux)
	s.mountStaff(mux)
	mux.Handle("GET /healthz", s.metrics.instrument("healthz", http.HandlerFunc(s.handleHealth)))
	mux.Handle("GET /metrics", s.metrics.handler())
	for _, r := range s.extra {
		mux.Handle(r.pattern, s.metrics.instrument(r.pattern, r.h))
	}
	mux.Handle("/api/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such API: " + r.Method + " " + r.URL.Path})
	}))
	return s.recoverPanics(s.withClient(mux))
}

// recoverPanics turns a panic in a handler into a logged 500, so one bad
// request never takes the server down.
func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeError(w, r, s.log, fmt.Errorf("panic: %v", v))
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// Run serves until ctx ends, then shuts down gracefully, letting requests in
// flight finish (their turns are committed before they reply).
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.engine.Ping(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
