package openai

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Defaults of a Config.
const (
	DefaultBaseURL     = "https://api.openai.com/v1"
	DefaultTimeout     = 15 * time.Second
	DefaultMaxTokens   = 400
	DefaultFailures    = 3
	DefaultCooldown    = 30 * time.Second
	DefaultMaxCooldown = 5 * time.Minute
)

// Formats a model can be asked to reply facts in.
const (
	FormatJSONSchema = "json_schema" // a strict JSON schema (OpenAI, recent servers)
	FormatJSONObject = "json_object" // any JSON object (older compatible servers)
)

// Config says which model to use and how patiently.
type Config struct {
	BaseURL string        // OPENAI_BASE_URL; DefaultBaseURL when empty
	APIKey  string        // OPENAI_API_KEY
	Model   string        // OPENAI_MODEL
	Timeout time.Duration // POLICYBOT_LLM_TIMEOUT: per call; DefaultTimeout when zero

	MaxTokens   int     // per completion; DefaultMaxTokens when zero
	Temperature float32 // zero leaves it to the server (reasoning models accept no other)
	FactFormat  string  // FormatJSONSchema (default) or FormatJSONObject

	Failures    int           // failures in a row that pause calls; DefaultFailures when zero
	Cooldown    time.Duration // first pause; DefaultCooldown when zero
	MaxCooldown time.Duration // longest pause; DefaultMaxCooldown when zero

	HTTPClient *http.Client     // optional
	Now        func() time.Time // optional: the clock the pauses are measured with
	Logger     *slog.Logger     // optional
}

// ConfigFromEnv reads the model's settings from environment variables
// through getenv (cmd/policybot passes os.Getenv). A zero Model means no
// model is configured and replies stay extractive.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		BaseURL: strings.TrimSpace(getenv("OPENAI_BASE_URL")),
		APIKey:  strings.TrimSpace(getenv("OPENAI_API_KEY")),
		Model:   strings.TrimSpace(getenv("OPENAI_MODEL")),
	}
	if s := strings.TrimSpace(getenv("POLICYBOT_LLM_TIMEOUT")); s != "" {
		d, err := parseTimeout(s)
		if err != nil {
			return Config{}, fmt.Errorf("POLICYBOT_LLM_TIMEOUT=%q: want a duration such as 15s: %w", s, err)
		}
		c.Timeout = d
	}
	return c, nil
}

// parseTimeout reads "15s", "1500ms" or a bare number of seconds.
func parseTimeout(s string) (time.Duration, error) {
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		s = strconv.FormatFloat(secs, 'f', -1, 64) + "s"
	}
	d, err := time.ParseDuration(s)
	if err == nil && d <= 0 {
		err = fmt.Errorf("not positive")
	}
	return d, err
}

// Enabled reports whether a model is configured: a model name, and a key
// or a server of one's own.
func (c Config) Enabled() bool {
	return c.Model != "" && (c.APIKey != "" || c.BaseURL != "")
}

func (c Config) withDefaults() Config {
	if c.BaseURL == "" {
		c.BaseURL = DefaultBaseURL
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxTokens <= 0 {
		c.MaxTokens = DefaultMaxTokens
	}
	if c.FactFormat == "" {
		c.FactFormat = FormatJSONSchema
	}
	if c.Failures <= 0 {
		c.Failures = DefaultFailures
	}
	if c.Cooldown <= 0 {
		c.Cooldown = DefaultCooldown
	}
	if c.MaxCooldown < c.Cooldown {
		c.MaxCooldown = max(DefaultMaxCooldown, c.Cooldown)
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}
