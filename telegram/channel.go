package telegram

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/prometheus/client_golang/prometheus"

	"policybot/bot"
)

// shutdownGrace is how long an update being handled may go on once the
// channel is told to stop: enough to send a reply already committed.
const shutdownGrace = 10 * time.Second

// Engine is the dialogue engine as the channel uses it.
type Engine interface {
	Handle(ctx context.Context, m bot.Message) (*bot.Reply, error)
}

// Channel is the Telegram channel: build it with New, start it with Run.
type Channel struct {
	cfg     Config
	engine  Engine
	store   Store
	api     *tgbot.Bot
	texts   *texts
	metrics *metrics
	out     *outbox
	queues  *queues
	me      atomic.Pointer[self] // the bot, from getMe; set before updates are handled
	forgot  atomic.Int64         // Unix seconds of the last ForgetTelegramUpdates
}

// New builds a channel. It calls nothing yet: Run checks the token.
func New(cfg Config, engine Engine, store Store) (*Channel, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if engine == nil || store == nil {
		return nil, errors.New("telegram: engine and store are required")
	}
	t, err := loadTexts()
	if err != nil {
		return nil, err
	}
	c := &Channel{cfg: cfg, engine: engine, store: store, texts: t, metrics: newMetrics(), queues: newQueues()}
	c.out = &outbox{cfg: cfg, limiter: newLimiter(cfg.Limits, cfg.Now), metrics: c.metrics}
	c.api, err = tgbot.New(cfg.Token,
		tgbot.WithServerURL(cfg.APIURL),
		tgbot.WithSkipGetMe(),
		tgbot.WithHTTPClient(cfg.PollTimeout, apiClient{cfg.HTTPClient}),
		tgbot.WithAllowedUpdates(tgbot.AllowedUpdates{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}),
		// Handlers run in the library's one worker, in order; onUpdate only
		// claims the update and queues it for its conversation.
		tgbot.WithNotAsyncHandlers(),
		tgbot.WithDefaultHandler(c.onUpdate),
		tgbot.WithErrorsHandler(c.onLibraryError),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %w", err)
	}
	return c, nil
}

// Collectors are the channel's Prometheus collectors, for web.Server.Register.
func (c *Channel) Collectors() []prometheus.Collector { return c.metrics.collectors() }

// Run starts the channel and serves until ctx ends: it asks the Bot API who
// the bot is (waiting out an outage), sets the command menu, then long
// polls, or registers the webhook and handles what the Webhook handler
// receives. It returns once the updates being handled are done; an error
// only if the Bot API refuses the token or the webhook.
func (c *Channel) Run(ctx context.Context) error {
	if err := c.start(ctx); err != nil {
		if ctx.Err() != nil { // stopped before it could start: not a failure
			return nil
		}
		return err
	}
	if c.cfg.WebhookURL != "" {
		c.api.StartWebhook(ctx)
	} else {
		c.api.Start(ctx)
	}
	c.queues.wait()
	return nil
}

// start learns who the bot is, sets its commands, and sets or clears the
// webhook, waiting out an outage of the Bot API.
func (c *Channel) start(ctx context.Context) error {
	me, err := c.getMe(ctx)
	if err != nil {
		return err
	}
	c.me.Store(newSelf(me))
	c.setCommands(ctx)
	c.forgetOld(ctx)
	if c.cfg.WebhookURL != "" {
		if err := c.setWebhook(ctx); err != nil {
			return err
		}
		c.cfg.Log.Info("telegram: receiving by webhook", "bot", me.Username, "url", c.cfg.WebhookURL)
		return nil
	}
	if err := c.deleteWebhook(ctx); err != nil {
		return err
	}
	c.cfg.Log.Info("telegram: long polling", "bot", me.Username)
	return nil
}

// getMe learns the bot's id and username, needed to see mentions in groups.
func (c *Channel) getMe(ctx context.Context) (*models.User, error) {
	var me *models.User
	err := c.out.call(ctx, nil, "getMe", 0, func(ctx context.Context) (err error) {
		me, err = c.api.GetMe(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe refused (is the token right?): %w", err)
	}
	return me, nil
}

// setCommands sets the command menu in Chinese, and in English for people
// whose Telegram speaks it. A failure leaves the menu as it was.
func (c *Channel) setCommands(ctx context.Context) {
	for _, lang := range languages {
		p := &tgbot.SetMyCommandsParams{}
		for _, cmd := range c.texts.Commands {
			p.Commands = append(p.Commands, models.BotCommand{Command: cmd.Name, Description: cmd.in(lang).Menu})
		}
		if lang != languages[0] {
			p.LanguageCode = lang
		}
		err := c.out.call(ctx, nil, "setMyCommands", replyAttempts, func(ctx context.Context) error {
			_, err := c.api.SetMyCommands(ctx, p)
			return err
		})
		if err != nil {
			c.cfg.Log.Warn("telegram: set the command menu", "lang", lang, "err", err)
		}
	}
}

// setWebhook tells Telegram where to post updates, with the secret it must
// send back.
func (c *Channel) setWebhook(ctx context.Context) error {
	err := c.out.call(ctx, nil, "setWebhook", 0, func(ctx context.Context) error {
		_, err := c.api.SetWebhook(ctx, &tgbot.SetWebhookParams{
			URL: c.cfg.WebhookURL, SecretToken: c.cfg.WebhookSecret,
			AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery},
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram: set webhook: %w", err)
	}
	return nil
}

// deleteWebhook removes a webhook left from an earlier run, without which
// getUpdates is refused; updates waiting are kept.
func (c *Channel) deleteWebhook(ctx context.Context) error {
	err := c.out.call(ctx, nil, "deleteWebhook", 0, func(ctx context.Context) error {
		_, err := c.api.DeleteWebhook(ctx, &tgbot.DeleteWebhookParams{})
		return err
	})
	if err != nil {
		return fmt.Errorf("telegram: delete webhook: %w", err)
	}
	return nil
}

// forgetOld drops update ids older than any redelivery, at most hourly.
func (c *Channel) forgetOld(ctx context.Context) {
	now := c.cfg.Now()
	if last := c.forgot.Load(); last != 0 && now.Unix()-last < 3600 {
		return
	}
	c.forgot.Store(now.Unix())
	if _, err := c.store.ForgetTelegramUpdates(ctx, now.Add(-updateMemory)); err != nil && ctx.Err() == nil {
		c.metrics.errors.WithLabelValues("store", "failed").Inc()
		c.cfg.Log.Warn("telegram: forget old update ids", "err", err)
	}
}

// onLibraryError counts and logs what the library reports on its own: a
// getUpdates that failed (it waits and polls again), a webhook body it
// could not read.
func (c *Channel) onLibraryError(err error) {
	reason := "refused"
	var down *outage
	if errors.As(err, &down) {
		reason = "outage"
	}
	c.metrics.errors.WithLabelValues("poll", reason).Inc()
	c.cfg.Log.Warn("telegram: bot API", "err", err)
}
