package main

import (
	"context"
	"fmt"
	"log/slog"

	"policybot/telegram"
	"policybot/web"
)

// startTelegram starts the Telegram channel if TELEGRAM_BOT_TOKEN is set:
// long polling in a goroutine, or, with TELEGRAM_WEBHOOK_URL, the webhook
// mounted on the server at telegram.WebhookPath. Its metrics go to the
// server's /metrics. The function it returns stops the channel and waits
// for the replies under way; call it before the database closes.
func (m *Main) startTelegram(ctx context.Context, a *app, srv *web.Server, log *slog.Logger) (stop func(), err error) {
	token := m.Getenv("TELEGRAM_BOT_TOKEN")
	if token == "" {
		return func() {}, nil
	}
	webhook := m.Getenv("TELEGRAM_WEBHOOK_URL")
	ch, err := telegram.New(telegram.Config{
		Token:         token,
		APIURL:        m.Getenv("TELEGRAM_API_URL"),
		WebhookURL:    webhook,
		WebhookSecret: m.Getenv("TELEGRAM_WEBHOOK_SECRET"),
		Groups:        telegram.Groups(m.Getenv("TELEGRAM_GROUPS")),
		Log:           log,
	}, a.engine, a.db)
	if err != nil {
		return nil, usagef("%v", err)
	}
	if err := srv.Register(ch.Collectors()...); err != nil {
		return nil, fmt.Errorf("register telegram metrics: %w", err)
	}
	if webhook != "" {
		srv.Mount(telegram.WebhookPath, ch.Webhook())
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := ch.Run(ctx); err != nil {
			log.Error("telegram channel stopped", "err", err)
		}
	}()
	return func() { cancel(); <-done }, nil
}
