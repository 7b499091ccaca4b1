package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"policybot/store"
	"policybot/telegram"
	"policybot/web"
)

// startTelegram starts the Telegram channel if TELEGRAM_BOT_TOKEN is set:
// long polling in a goroutine, or, with TELEGRAM_WEBHOOK_URL, the webhook
// mounted on the server at telegram.WebhookPath. Long polling refuses to
// start when another instance sharing the database polls already. Its metrics go to the
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
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	if webhook != "" {
		// Any number of instances take webhook posts: each update is
		// claimed once in the database, whichever instance it reaches.
		srv.Mount(telegram.WebhookPath, ch.Webhook())
		go func() {
			defer close(done)
			if err := ch.Run(ctx); err != nil {
				log.Error("telegram channel stopped", "err", err)
			}
		}()
		return func() { cancel(); <-done }, nil
	}
	started := make(chan error, 1)
	go func() {
		defer close(done)
		poll(ctx, a.db, ch, log, started)
	}()
	if err := <-started; err != nil {
		cancel()
		<-done
		return nil, err
	}
	return func() { cancel(); <-done }, nil
}

// pollerJob is the lock of the one instance that may long poll: Telegram
// hands each update to one getUpdates, and a second poller would both
// take updates from the first and be refused by Telegram in turn.
const pollerJob = "telegram-poller"

// errPollerHeld is why serve refuses to start a second poller.
var errPollerHeld = errors.New("telegram: another instance sharing this database is long polling Telegram; " +
	"with several instances set TELEGRAM_WEBHOOK_URL (and TELEGRAM_WEBHOOK_SECRET) on every one, or leave TELEGRAM_BOT_TOKEN unset on all but one")

// pollRetry is how long a poller that lost its lock (the database
// restarted) waits before taking it again.
const pollRetry = 5 * time.Second

// poll long polls while this instance holds the poller's lock. started
// gets nil once it holds it, or why it could not take it at first; later,
// when the lock is lost, it is taken again when it is free.
func poll(ctx context.Context, db store.Store, ch *telegram.Channel, log *slog.Logger, started chan<- error) {
	first := true
	for ctx.Err() == nil {
		ran, err := db.Exclusive(ctx, pollerJob, func(ctx context.Context) error {
			if first {
				first = false
				started <- nil
			}
			return ch.Run(ctx)
		})
		if first {
			if err == nil && !ran {
				err = errPollerHeld
			}
			started <- err
			return
		}
		switch {
		case ctx.Err() != nil:
			return
		case !ran:
			log.Warn("telegram: another instance took over long polling; this one waits to take it back")
		case err != nil:
			log.Error("telegram: long polling stopped; taking it up again", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(pollRetry):
		}
	}
}
