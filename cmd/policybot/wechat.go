package main

import (
	"fmt"
	"log/slog"

	"policybot/telegram"
	"policybot/web"
	"policybot/wechat"
)

// mountWeChat mounts the WeChat Official Account channel on the server at
// WECHAT_PATH (/wechat) if WECHAT_TOKEN is set, in safe mode if
// WECHAT_ENCODING_AES_KEY is set too. Its metrics go to the server's
// /metrics. No token, no route.
func (m *Main) mountWeChat(a *app, srv *web.Server, log *slog.Logger) error {
	cfg := wechat.Config{
		Token:          m.Getenv("WECHAT_TOKEN"),
		AppID:          m.Getenv("WECHAT_APP_ID"),
		EncodingAESKey: m.Getenv("WECHAT_ENCODING_AES_KEY"),
		Path:           m.Getenv("WECHAT_PATH"),
		Log:            log,
	}
	if cfg.Token == "" {
		if cfg.AppID != "" || cfg.EncodingAESKey != "" || cfg.Path != "" {
			return usagef("WECHAT_APP_ID, WECHAT_ENCODING_AES_KEY and WECHAT_PATH need WECHAT_TOKEN")
		}
		return nil
	}
	ch, err := wechat.New(cfg, a.engine, a.db)
	if err != nil {
		return usagef("%v", err)
	}
	if web.Reserved(ch.Path()) || ch.Path() == telegram.WebhookPath {
		return usagef("WECHAT_PATH=%q: the server serves that path already", ch.Path())
	}
	if err := srv.Register(ch.Collectors()...); err != nil {
		return fmt.Errorf("register wechat metrics: %w", err)
	}
	srv.Mount(ch.Path(), ch)
	log.Info("wechat: official account channel", "path", ch.Path(), "safe_mode", ch.SafeMode())
	return nil
}
