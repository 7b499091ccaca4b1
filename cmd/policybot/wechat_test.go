package main

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"policybot/web"
)

// wechatSignature signs as WeChat's server does.
func wechatSignature(parts ...string) string {
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// TestWeChatWiring: with a token, serve's wiring mounts the channel at
// WECHAT_PATH on the server (the 公众平台's URL check answered when signed,
// 401 when not; a signed message answered) and shows its metrics; without
// a token there is no route; bad settings are usage errors.
func TestWeChatWiring(t *testing.T) {
	env := map[string]string{"WECHAT_TOKEN": "policybotToken2026", "WECHAT_PATH": "/wx/policy"}
	m := &Main{Getenv: func(k string) string { return env[k] }}
	cfg := Config{DataDir: t.TempDir(), Analysis: "gse", Today: "2026-11-26", getenv: m.Getenv}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := cfg.openApp(log)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := web.New(web.Config{Log: log}, a.engine)
	if err := m.mountWeChat(a, srv, log); err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	do := func(method, target, body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, target, strings.NewReader(body)))
		return rec
	}
	q := url.Values{"timestamp": {"1700000000"}, "nonce": {"24680"}, "echostr": {"echo-42"}}
	q.Set("signature", wechatSignature(env["WECHAT_TOKEN"], "1700000000", "24680"))
	if rec := do(http.MethodGet, "/wx/policy?"+q.Encode(), ""); rec.Code != http.StatusOK || rec.Body.String() != "echo-42" {
		t.Errorf("signed URL check: %d %q", rec.Code, rec.Body)
	}
	if rec := do(http.MethodGet, "/wx/policy?echostr=x", ""); rec.Code != http.StatusUnauthorized {
		t.Errorf("unsigned URL check: %d, want 401", rec.Code)
	}
	q.Del("echostr")
	q.Set("openid", "oWiring_test_openid_00000001")
	msg := `<xml><ToUserName><![CDATA[gh_3f2b9c1d7e8a]]></ToUserName><FromUserName><![CDATA[oWiring_test_openid_00000001]]></FromUserName>` +
		`<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[稳岗返还的比例是多少？]]></Content><MsgId>1</MsgId></xml>`
	if rec := do(http.MethodPost, "/wx/policy?"+q.Encode(), msg); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "稳岗返还") {
		t.Errorf("signed message: %d %s", rec.Code, rec.Body)
	}
	if rec := do(http.MethodGet, "/metrics", ""); !strings.Contains(rec.Body.String(), `policybot_wechat_messages_total{kind="text"} 1`) {
		t.Error("/metrics lacks the WeChat channel's series")
	}

	for name, bad := range map[string]map[string]string{
		"a key without the AppID":  {"WECHAT_TOKEN": "policybotToken2026", "WECHAT_ENCODING_AES_KEY": "kWxPEV2UEDyxWpmPdKbVfOQT4aWM6BTSU2ZC3wV8fHx"},
		"a key of the wrong size":  {"WECHAT_TOKEN": "policybotToken2026", "WECHAT_ENCODING_AES_KEY": "short", "WECHAT_APP_ID": "wx5823bf96d3bd56c7"},
		"a token WeChat refuses":   {"WECHAT_TOKEN": "no spaces allowed"},
		"a key without the token":  {"WECHAT_ENCODING_AES_KEY": "kWxPEV2UEDyxWpmPdKbVfOQT4aWM6BTSU2ZC3wV8fHx"},
		"the staff console's path": {"WECHAT_TOKEN": "policybotToken2026", "WECHAT_PATH": "/staff"},
		"an API path":              {"WECHAT_TOKEN": "policybotToken2026", "WECHAT_PATH": "/api/chat"},
		"the Telegram webhook":     {"WECHAT_TOKEN": "policybotToken2026", "WECHAT_PATH": "/telegram/webhook"},
		"a path not clean":         {"WECHAT_TOKEN": "policybotToken2026", "WECHAT_PATH": "wechat/"},
	} {
		m := &Main{Getenv: func(k string) string { return bad[k] }}
		err := m.mountWeChat(a, web.New(web.Config{Log: log}, a.engine), log)
		var usage usageError
		if !errors.As(err, &usage) {
			t.Errorf("%s: %v, want a usage error", name, err)
		}
	}

	none := &Main{Getenv: func(string) string { return "" }}
	srv = web.New(web.Config{Log: log}, a.engine)
	if err := none.mountWeChat(a, srv, log); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/wechat?"+q.Encode(), nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("without WECHAT_TOKEN, GET /wechat: %d, want 404", rec.Code)
	}
}
