package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// Defaults of the channel's settings.
const (
	DefaultAPIURL        = "https://api.telegram.org"
	DefaultPollTimeout   = 50 * time.Second
	DefaultUpdateTimeout = 2 * time.Minute
	DefaultMaxBody       = 1 << 20
	// WebhookPath is where serve mounts the webhook; the reverse proxy in
	// front of policybot must pass TELEGRAM_WEBHOOK_URL on to it.
	WebhookPath = "/telegram/webhook"
)

// Groups says how the bot behaves in group chats.
type Groups string

// Group behaviours.
const (
	GroupsMentioned Groups = "mentioned" // answer when mentioned (@bot, /cmd@bot) or replied to
	GroupsOff       Groups = "off"       // ignore group chats
)

// Limits are the least times between two outgoing messages: to one chat,
// to one group, and to anyone; a private chat may get Burst messages at
// once before its spacing applies. Telegram asks for about one message a
// second per chat (allowing short bursts), twenty a minute per group and
// thirty a second in all.
type Limits struct {
	PerChat  time.Duration
	PerGroup time.Duration
	Global   time.Duration
	Burst    int
}

// DefaultLimits keep to Telegram's published limits. The burst lets a
// button press mark its question and ask the next at once, and a reply
// in two parts arrive together; groups get none, as twenty a minute is
// firm.
var DefaultLimits = Limits{PerChat: time.Second, PerGroup: 3 * time.Second, Global: time.Second / 30, Burst: 3}

// Config is what a Channel is built from; cmd fills it from the environment.
type Config struct {
	Token         string // from @BotFather
	APIURL        string // the Bot API server; DefaultAPIURL if empty
	WebhookURL    string // public HTTPS URL Telegram posts updates to; empty: long polling
	WebhookSecret string // checked against X-Telegram-Bot-Api-Secret-Token; required with a webhook
	Groups        Groups // GroupsMentioned if empty
	Limits        Limits // DefaultLimits where zero

	PollTimeout   time.Duration // how long one getUpdates waits for news
	UpdateTimeout time.Duration // how long handling one update may take, retries included
	MaxBody       int64         // largest webhook body accepted, in bytes

	// Now and Sleep are the clock the rate limits, back-off and retry_after
	// waits run on; tests make time pass without waiting.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	HTTPClient *http.Client // for the Bot API; one with a timeout beyond PollTimeout if nil
	Log        *slog.Logger
}

// webhookSecret is what Telegram allows as a secret_token.
var webhookSecret = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// withDefaults checks a config and fills in what was left out.
func (c Config) withDefaults() (Config, error) {
	if c.Token == "" {
		return c, errors.New("telegram: no bot token")
	}
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c, fmt.Errorf("telegram: API URL %q: want http(s)://host", c.APIURL)
	}
	if c.WebhookURL != "" {
		if u, err := url.Parse(c.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			return c, fmt.Errorf("telegram: webhook URL %q: Telegram posts only to https://host/…", c.WebhookURL)
		}
		if !webhookSecret.MatchString(c.WebhookSecret) {
			return c, errors.New("telegram: a webhook needs a secret of 1-256 letters, digits, _ or -")
		}
	}
	switch c.Groups {
	case "":
		c.Groups = GroupsMentioned
	case GroupsMentioned, GroupsOff:
	default:
		return c, fmt.Errorf("telegram: groups %q: want %s or %s", c.Groups, GroupsMentioned, GroupsOff)
	}
	d := DefaultLimits
	c.Limits.PerChat = orDefault(c.Limits.PerChat, d.PerChat)
	c.Limits.PerGroup = orDefault(c.Limits.PerGroup, d.PerGroup)
	c.Limits.Global = orDefault(c.Limits.Global, d.Global)
	c.Limits.Burst = orDefault(c.Limits.Burst, d.Burst)
	c.PollTimeout = orDefault(c.PollTimeout, DefaultPollTimeout)
	if c.PollTimeout < 2*time.Second {
		// The library asks getUpdates to wait PollTimeout less a second.
		return c, errors.New("telegram: poll timeout under 2s would poll without waiting")
	}
	c.UpdateTimeout = orDefault(c.UpdateTimeout, DefaultUpdateTimeout)
	c.MaxBody = orDefault(c.MaxBody, DefaultMaxBody)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.PollTimeout + 15*time.Second}
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
