package main

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"policybot/web"
)

// Defaults of serve's settings.
const (
	defaultAddr      = "127.0.0.1:8080"
	defaultRate      = 60 // API requests per minute per client
	defaultRetention = 180 * 24 * time.Hour
)

// serve starts the HTTP server and keeps the log within its retention.
func (m *Main) serve(ctx context.Context, args []string) error {
	fs := newFlags("serve", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	addr := fs.String("addr", envOr(m.Getenv, "POLICYBOT_ADDR", defaultAddr), "listen address")
	metricsAddr := fs.String("metrics-addr", m.Getenv("POLICYBOT_METRICS_ADDR"), "serve /metrics on this address only (default: on --addr)")
	pprofAddr := fs.String("pprof-addr", m.Getenv("POLICYBOT_PPROF_ADDR"), "serve Go's profiler (/debug/pprof/) on this address (default: not served)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rate, err := cfg.intEnv("POLICYBOT_RATE_LIMIT", defaultRate)
	if err != nil {
		return err
	}
	retention, err := cfg.duration("POLICYBOT_RETENTION", defaultRetention)
	if err != nil {
		return err
	}
	drain, err := cfg.duration("POLICYBOT_SHUTDOWN_DRAIN", web.DefaultDrain)
	if err != nil {
		return err
	}
	log := m.serverLogger()
	a, err := cfg.openApp(log)
	if err != nil {
		return err
	}
	defer a.Close()
	staff, err := m.staffConsole(ctx, &cfg, a, log)
	if err != nil {
		return err
	}
	proxies, err := web.ParsePrefixes(m.Getenv("POLICYBOT_TRUSTED_PROXIES"))
	if err != nil {
		return usagef("POLICYBOT_TRUSTED_PROXIES: %v", err)
	}
	srv := web.New(web.Config{
		Addr: *addr, CORSOrigins: splitList(m.Getenv("POLICYBOT_CORS_ORIGINS")), RatePerMin: rate, Log: log,
		Staff: staff, TrustedProxies: proxies, Health: a.db, Drain: drain,
		Metrics: web.MetricsAccess{Elsewhere: *metricsAddr != "", Token: m.Getenv("POLICYBOT_METRICS_TOKEN")},
	}, a.engine)
	if a.llm != nil {
		if err := srv.Register(a.llm); err != nil {
			return fmt.Errorf("register model metrics: %w", err)
		}
	}
	if err := m.mountWeChat(a, srv, log); err != nil {
		return err
	}
	stopTelegram, err := m.startTelegram(ctx, a, srv, log)
	if err != nil {
		return err
	}
	defer stopTelegram()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s for metrics: %w", *metricsAddr, err)
		}
		go func() {
			if err := srv.RunMetrics(ctx, mln); err != nil {
				log.Error("metrics listener stopped", "err", err)
			}
		}()
		fmt.Fprintf(m.Stdout, "policybot metrics on http://%s/metrics\n", mln.Addr())
	}
	if *pprofAddr != "" {
		pln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s for the profiler: %w", *pprofAddr, err)
		}
		go servePprof(ctx, pln, log)
		fmt.Fprintf(m.Stdout, "policybot profiler on http://%s/debug/pprof/\n", pln.Addr())
	}
	log.Info("serving", "addr", ln.Addr().String(), "index", a.retriever.Origin(), "data", cfg.DataDir)
	fmt.Fprintf(m.Stdout, "policybot serving on http://%s\n", ln.Addr())
	go a.purgeEvery(ctx, retention, log)
	return srv.Run(ctx, ln)
}

// purgeJob is the name of the retention purge among jobs that run on one
// instance at a time.
const purgeJob = "purge"

// purgeEvery deletes conversations older than the retention once at start
// and then daily; an instance that finds another purging leaves it to it.
func (a *app) purgeEvery(ctx context.Context, retention time.Duration, log interface {
	Info(string, ...any)
	Error(string, ...any)
}) {
	for {
		var n int64
		ran, err := a.db.Exclusive(ctx, purgeJob, func(ctx context.Context) (err error) {
			n, err = a.db.Purge(ctx, time.Now().Add(-retention))
			return err
		})
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("purge old conversations", "err", err)
		case !ran:
			log.Info("another instance is purging old conversations; not purging here")
		case n > 0:
			log.Info("purged old conversations", "count", n, "older_than", retention.String())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}

func (c *Config) intEnv(key string, def int) (int, error) {
	v := c.getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, usagef("%s=%q: want a whole number of zero or more", key, v)
	}
	return n, nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
