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
	"sync/atomic"
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
	// Health is what /healthz asks; nil: the engine's Ping.
	Health Checker
	// Drain bounds how long a shutdown waits for requests in flight
	// (DefaultDrain when zero); those still running then are cut off.
	Drain time.Duration
	// Metrics says who may read /metrics.
	Metrics MetricsAccess
	Now     func() time.Time
	Log     *slog.Logger
}

// Checker reports whether the server can do its work: *sqlite.DB checks
// that its files are the ones at their paths and that a commit succeeds.
type Checker interface {
	Check(ctx context.Context) error
}

// DefaultDrain is how long a shutdown waits for requests in flight: a turn
// takes milliseconds, so only a stuck or trickling client is still there.
const DefaultDrain = 10 * time.Second

// Server serves the API, widget and console on one listener.
type Server struct {
	cfg       Config
	unhealthy atomic.Bool // the last health check failed
	engine    Engine
	metrics   *metrics
	limiter   *limiter
	log       *slog.Logger
	extra     []route // handlers other channels mount (the Telegram webhook, WeChat)
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
	if !s.cfg.Metrics.Elsewhere {
		mux.Handle("GET /metrics", s.metricsHandler())
	}
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

// RunMetrics serves /metrics alone on ln until ctx ends: the listener of
// Config.Metrics.Elsewhere, an address only the monitoring can reach.
func (s *Server) RunMetrics(ctx context.Context, ln net.Listener) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve metrics: %w", err)
	case <-ctx.Done():
	}
	srv.Close() // a scrape holds nothing worth draining
	<-errc
	return nil
}

// Run serves until ctx ends, then shuts down gracefully: it stops
// listening and lets requests in flight finish (their turns are committed
// before they reply) for at most Config.Drain, then closes the connections
// still open (a client trickling its body, one that never reads) and
// returns nil: what could be drained was.
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
	drain := s.cfg.Drain
	if drain <= 0 {
		drain = DefaultDrain
	}
	shutdown, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shut down: %w", err)
		}
		s.log.Warn("shutdown: requests still running after the drain were cut off", "drain", drain.String())
		if err := srv.Close(); err != nil {
			return fmt.Errorf("shut down: %w", err)
		}
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// healthTimeout bounds a health check: a probe stuck behind a lock held by
// another process is an answer too.
const healthTimeout = 5 * time.Second

// handleHealth answers 200 while the database takes writes and 503 when
// it does not, so a load balancer sends people elsewhere; the cause goes to
// the server log, not to the client. It logs once when health is lost and
// once when it comes back.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	var err error
	if s.cfg.Health != nil {
		err = s.cfg.Health.Check(ctx)
	} else {
		err = s.engine.Ping(ctx)
	}
	if err != nil && r.Context().Err() != nil {
		// The caller left before the probe was answered (a load test
		// ending, a balancer's timeout): that says nothing of the log.
		return
	}
	if err != nil {
		if !s.unhealthy.Swap(true) {
			s.log.Error("UNHEALTHY: the log cannot be written; /healthz answers 503 until it can", "err", err)
		} else {
			s.log.Error("still unhealthy: the log cannot be written", "err", err)
		}
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status": "unavailable", "error": "the server cannot write its log; see the server's log",
		})
		return
	}
	if s.unhealthy.Swap(false) {
		s.log.Info("healthy again: the log takes writes")
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
