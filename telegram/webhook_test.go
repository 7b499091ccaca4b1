package telegram

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestWebhook: with a webhook URL the channel registers it with its secret
// and does not poll; the handler answers 200 to Telegram's posts and
// handles each update once, 401 to a wrong or missing secret, 413 to an
// oversize body, 400 to one that is not JSON and 405 to a GET.
func TestWebhook(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	const secret = "s3cret-Token_1"
	ch := w.start(func(c *Config) {
		c.WebhookURL = "https://bot.example.org" + WebhookPath
		c.WebhookSecret = secret
		c.MaxBody = 16 << 10
	})
	w.api.waitFor(ctx, "setWebhook", func() bool { return len(w.api.servedLocked("setWebhook")) == 1 })
	set := w.api.served("setWebhook")[0].params
	if set["url"] != "https://bot.example.org/telegram/webhook" || set["secret_token"] != secret {
		t.Errorf("setWebhook with %v", set)
	}
	srv := httptest.NewServer(ch.Webhook())
	defer srv.Close()

	post := func(method, token string, body []byte) (int, string) {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, method, srv.URL+WebhookPath, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set(secretHeader, token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}

	u := says(8001, wang, wang.chat(), "你好")
	w.api.know(u)
	body, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := post(http.MethodPost, secret, body); code != http.StatusOK {
		t.Errorf("right secret: %d, want 200", code)
	}
	w.api.waitSent(ctx, 1)

	other, _ := json.Marshal(says(8002, wang, wang.chat(), "帮我看看"))
	for _, c := range []struct {
		name, method, token string
		body                []byte
		want                int
	}{
		{"wrong secret", http.MethodPost, secret + "x", other, http.StatusUnauthorized},
		{"missing secret", http.MethodPost, "", other, http.StatusUnauthorized},
		{"same length, wrong", http.MethodPost, strings.ToUpper(secret), other, http.StatusUnauthorized},
		{"oversize", http.MethodPost, secret, append([]byte(`{"update_id":8003,"pad":"`), bytes.Repeat([]byte("x"), 32<<10)...), http.StatusRequestEntityTooLarge},
		{"not JSON", http.MethodPost, secret, []byte("update_id=8004"), http.StatusBadRequest},
		{"GET", http.MethodGet, secret, nil, http.StatusMethodNotAllowed},
		{"the same update again", http.MethodPost, secret, body, http.StatusOK},
	} {
		code, resp := post(c.method, c.token, c.body)
		if code != c.want {
			t.Errorf("%s: %d, want %d", c.name, code, c.want)
		}
		if c.want != http.StatusOK && !json.Valid([]byte(resp)) {
			t.Errorf("%s: body %q is not JSON", c.name, resp)
		}
	}
	waitUntil(t, ctx, "the duplicate counted", func() bool {
		return ch.metric(t, "policybot_telegram_duplicate_updates_total") == 1
	})
	if n := len(w.api.sent()); n != 1 {
		t.Errorf("%d messages sent, want 1:\n%s", n, w.api.trace())
	}
	if n := w.api.attempts("getUpdates"); n != 0 {
		t.Errorf("getUpdates called %d times in webhook mode", n)
	}
	if got := ch.metric(t, "policybot_telegram_errors_total", "op", "webhook", "reason", "unauthorized"); got != 3 {
		t.Errorf("%v unauthorized posts counted, want 3", got)
	}
}

// TestWebhookNeedsSecret: a webhook without a valid secret is refused at
// once, as is one Telegram could not post to.
func TestWebhookNeedsSecret(t *testing.T) {
	for _, c := range []Config{
		{Token: "1:x", WebhookURL: "https://bot.example.org/telegram/webhook"},
		{Token: "1:x", WebhookURL: "https://bot.example.org/telegram/webhook", WebhookSecret: "has space"},
		{Token: "1:x", WebhookURL: "http://bot.example.org/telegram/webhook", WebhookSecret: "ok"},
		{Token: ""},
		{Token: "1:x", Groups: "sometimes"},
	} {
		if _, err := c.withDefaults(); err == nil {
			t.Errorf("config %+v accepted", c)
		}
	}
}
