package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/web"
)

// TestTelegramWiring: with a token and a webhook URL, serve's wiring
// registers the webhook with the Bot API, mounts the handler on the server
// (401 without the secret, 200 with it) and shows the channel's metrics;
// a webhook without a secret is a usage error; no token, no channel.
func TestTelegramWiring(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	var called []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		called = append(called, path.Base(r.URL.Path))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if path.Base(r.URL.Path) == "getMe" {
			io.WriteString(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Policy","username":"policy_test_bot"}}`)
			return
		}
		io.WriteString(w, `{"ok":true,"result":true}`)
	}))
	defer api.Close()
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN":      "1:token",
		"TELEGRAM_API_URL":        api.URL,
		"TELEGRAM_WEBHOOK_URL":    "https://bot.example.org/telegram/webhook",
		"TELEGRAM_WEBHOOK_SECRET": "right-secret",
	}
	m := &Main{Getenv: func(k string) string { return env[k] }}
	cfg := Config{DataDir: t.TempDir(), Analysis: "gse", Today: "2026-11-26", getenv: m.Getenv}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := cfg.openApp(log)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := web.New(web.Config{Log: log}, a.engine)
	stop, err := m.startTelegram(ctx, a, srv, log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	for {
		mu.Lock()
		done := slices.Contains(called, "setWebhook")
		mu.Unlock()
		if done {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("setWebhook never called; calls: %v", called)
		case <-time.After(10 * time.Millisecond):
		}
	}

	h := srv.Handler()
	for secret, want := range map[string]int{"": http.StatusUnauthorized, "wrong": http.StatusUnauthorized, "right-secret": http.StatusOK} {
		req := httptest.NewRequest(http.MethodPost, "/telegram/webhook", strings.NewReader(`{"update_id":1}`))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("webhook with secret %q: %d, want %d", secret, rec.Code, want)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(rec.Body.String(), "policybot_telegram_duplicate_updates_total") {
		t.Error("/metrics lacks the Telegram channel's series")
	}

	delete(env, "TELEGRAM_WEBHOOK_SECRET")
	_, err = m.startTelegram(ctx, a, web.New(web.Config{Log: log}, a.engine), log)
	var usage usageError
	if !errors.As(err, &usage) {
		t.Errorf("webhook without a secret: %v, want a usage error", err)
	}
	delete(env, "TELEGRAM_BOT_TOKEN")
	if stop, err := m.startTelegram(ctx, a, srv, log); err != nil || stop == nil {
		t.Errorf("without a token: %v", err)
	}
}
