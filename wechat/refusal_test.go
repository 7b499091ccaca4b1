package wechat

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// countClaims counts the MsgIds claimed in the store.
func (w *world) countClaims() int {
	w.t.Helper()
	db, err := sql.Open("sqlite3", "file:"+w.path+"?mode=ro")
	if err != nil {
		w.t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM wechat_messages`).Scan(&n); err != nil {
		w.t.Fatal(err)
	}
	return n
}

// resign signs a request's query again, as WeChat would for its body: the
// signature, and in safe mode msg_signature over the given Encrypt.
func resign(q url.Values, encrypt string) url.Values {
	ts, n := q.Get("timestamp"), q.Get("nonce")
	q.Set("signature", signature(testToken, ts, n))
	if encrypt != "" {
		q.Set("msg_signature", signature(testToken, ts, n, encrypt))
	}
	return q
}

// sealedBody is a safe-mode body around an Encrypt.
func sealedBody(encrypt string) []byte {
	return []byte(fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt></xml>", testAccount, encrypt))
}

// TestRefusals: a request without the token's signature, or in safe mode
// without a right msg_signature or in the clear, is refused with 401 and
// nothing is handled; a body too large gets 413; one that is not WeChat's
// XML, or cannot be decrypted, 400. Every refusal is JSON, none is a 5xx,
// no turn is logged and no MsgId claimed.
func TestRefusals(t *testing.T) {
	type attempt struct {
		name string
		req  func(w *world) request
		code int
	}
	text := func() []byte { return textXML(wang, nextMsgID(), "稳岗返还的比例是多少？") }
	common := []attempt{
		{"no signature", func(w *world) request {
			r := w.wx.wrap(wang, text())
			r.query.Del("signature")
			return r
		}, http.StatusUnauthorized},
		{"another token's signature", func(w *world) request {
			r := w.wx.wrap(wang, text())
			r.query.Set("signature", signature("anotherToken", r.query.Get("timestamp"), r.query.Get("nonce")))
			return r
		}, http.StatusUnauthorized},
		{"signature of another timestamp", func(w *world) request {
			r := w.wx.wrap(wang, text())
			r.query.Set("timestamp", "1600000000")
			return r
		}, http.StatusUnauthorized},
		{"body too large", func(w *world) request {
			return w.wx.wrap(wang, textXML(wang, nextMsgID(), strings.Repeat("补贴", DefaultMaxBody/4)))
		}, http.StatusRequestEntityTooLarge},
		{"not XML", func(w *world) request { return w.wx.wrap(wang, []byte(`{"MsgType":"text","Content":"你好"}`)) }, http.StatusBadRequest},
		{"XML cut short", func(w *world) request { return w.wx.wrap(wang, text()[:60]) }, http.StatusBadRequest},
		{"another root", func(w *world) request {
			return w.wx.wrap(wang, []byte(`<msg><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType></msg>`))
		}, http.StatusBadRequest},
		{"no sender", func(w *world) request {
			return w.wx.wrap(wang, []byte(`<xml><ToUserName><![CDATA[gh_3f2b9c1d7e8a]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>1</MsgId></xml>`))
		}, http.StatusBadRequest},
		{"no kind", func(w *world) request {
			return w.wx.wrap(wang, []byte(`<xml><ToUserName>gh_3f2b9c1d7e8a</ToUserName><FromUserName>`+wang+`</FromUserName><MsgId>2</MsgId></xml>`))
		}, http.StatusBadRequest},
		{"CreateTime not a number", func(w *world) request {
			return w.wx.wrap(wang, bytes.Replace(text(), []byte("<CreateTime>"), []byte("<CreateTime>soon"), 1))
		}, http.StatusBadRequest},
		{"empty body", func(w *world) request { return w.wx.wrap(wang, nil) }, http.StatusBadRequest},
		{"an entity bomb", func(w *world) request {
			return w.wx.wrap(wang, []byte(`<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><ToUserName>gh_1</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>&b;</Content><MsgId>3</MsgId></xml>`))
		}, http.StatusBadRequest},
	}
	safeOnly := []attempt{
		{"in the clear to a safe-mode account", func(w *world) request {
			msg := text()
			ts, n := strconv.FormatInt(time.Now().Unix(), 10), nonce()
			return request{url.Values{"signature": {signature(testToken, ts, n)}, "timestamp": {ts}, "nonce": {n}, "openid": {wang}}, msg}
		}, http.StatusUnauthorized},
		{"no msg_signature", func(w *world) request {
			r := w.wx.wrap(wang, text())
			r.query.Del("msg_signature")
			return r
		}, http.StatusUnauthorized},
		{"msg_signature of another ciphertext", func(w *world) request {
			r := w.wx.wrap(wang, text())
			return request{r.query, sealedBody(w.wx.seal(text(), testAppID))}
		}, http.StatusUnauthorized},
		{"encrypted for another account", func(w *world) request {
			r := w.wx.wrap(wang, text())
			enc := w.wx.seal(text(), "wx0000000000000000")
			return request{resign(r.query, enc), sealedBody(enc)}
		}, http.StatusBadRequest},
		{"Encrypt not base64", func(w *world) request {
			r := w.wx.wrap(wang, text())
			return request{resign(r.query, "%%%not-base64%%%"), sealedBody("%%%not-base64%%%")}
		}, http.StatusBadRequest},
		{"Encrypt not whole blocks", func(w *world) request {
			r := w.wx.wrap(wang, text())
			enc := "QUJDREVGR0g="
			return request{resign(r.query, enc), sealedBody(enc)}
		}, http.StatusBadRequest},
		{"no Encrypt", func(w *world) request {
			r := w.wx.wrap(wang, text())
			return request{resign(r.query, ""), []byte("<xml><ToUserName>gh_3f2b9c1d7e8a</ToUserName></xml>")}
		}, http.StatusBadRequest},
		{"encrypted body cut short", func(w *world) request {
			r := w.wx.wrap(wang, text())
			return request{r.query, r.body[:40]}
		}, http.StatusBadRequest},
	}
	for _, mode := range []struct {
		name     string
		safe     bool
		attempts []attempt
	}{{"plain", false, common}, {"safe", true, append(append([]attempt(nil), common...), safeOnly...)}} {
		t.Run(mode.name, func(t *testing.T) {
			w := newWorld(t, mode.safe)
			ctx := testContext(t, time.Minute)
			for _, a := range mode.attempts {
				code, body := w.wx.post(ctx, a.req(w))
				var e struct{ Error string }
				if code != a.code || json.Unmarshal(body, &e) != nil || e.Error == "" {
					t.Errorf("%s: %d %s; want %d with a JSON error", a.name, code, body, a.code)
				}
			}
			if n := len(w.logged()); n != 0 {
				t.Errorf("%d turns logged from refused requests", n)
			}
			if n := w.countClaims(); n != 0 {
				t.Errorf("%d MsgIds claimed by refused requests", n)
			}
			if n := w.metric("policybot_wechat_refused_total", "reason", "signature"); n < 3 {
				t.Errorf("signature refusals counted %v", n)
			}
		})
	}
}

// TestRefusedLeavesNothing: a message refused for its signature is not
// claimed, so when WeChat then sends it signed it is answered as new.
func TestRefusedLeavesNothing(t *testing.T) {
	w := newWorld(t, false)
	ctx := testContext(t, 30*time.Second)
	msg := textXML(wang, nextMsgID(), "稳岗返还的比例是多少？")
	r := w.wx.wrap(wang, msg)
	r.query.Set("signature", strings.Repeat("0", 40))
	if code, _ := w.wx.post(ctx, r); code != http.StatusUnauthorized {
		t.Fatalf("forged: %d, want 401", code)
	}
	if got := w.wx.send(ctx, wang, msg); !strings.Contains(got, "稳岗返还") {
		t.Errorf("the same message signed got %q, want an answer", got)
	}
	if n := w.metric("policybot_wechat_retries_total"); n != 0 {
		t.Errorf("it was taken for a retry")
	}
}

// TestCompatibleModeWithoutKey: in 兼容模式 WeChat sends the message in the
// clear beside the ciphertext; a channel without the key answers it in the
// clear. With only the ciphertext, it cannot, and says so with 400.
func TestCompatibleModeWithoutKey(t *testing.T) {
	w := newWorld(t, false)
	ctx := testContext(t, 30*time.Second)
	sealer := &platform{t: t, aesKey: testAESKey, appID: testAppID}
	msg := textXML(wang, nextMsgID(), "稳岗返还的比例是多少？")
	enc := sealer.seal(msg, testAppID)
	r := w.wx.wrap(wang, nil)
	r.query.Set("encrypt_type", "aes")
	r.query.Set("msg_signature", signature(testToken, r.query.Get("timestamp"), r.query.Get("nonce"), enc))
	r.body = bytes.Replace(msg, []byte("</xml>"), []byte("<Encrypt><![CDATA["+enc+"]]></Encrypt></xml>"), 1)
	code, body := w.wx.post(ctx, r)
	if code != http.StatusOK || !strings.Contains(w.wx.read(wang, body), "稳岗返还") {
		t.Errorf("兼容模式 without a key: %d %s", code, body)
	}
	r.body = sealedBody(enc)
	if code, body := w.wx.post(ctx, r); code != http.StatusBadRequest {
		t.Errorf("安全模式 without a key: %d %s, want 400", code, body)
	}
}

// FuzzReceive: whatever signed body comes, the channel answers 200 with a
// reply WeChat takes, or a 4xx with a JSON error; never a 5xx.
func FuzzReceive(f *testing.F) {
	f.Add([]byte(textXML(wang, 1, "稳岗返还的比例是多少？")))
	f.Add([]byte(eventXML(wang, "subscribe")))
	f.Add([]byte(kindXML(wang, 2, "hologram")))
	f.Add([]byte(`<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><MsgType>voice</MsgType><MsgId>3</MsgId></xml>`))
	f.Add([]byte(`<xml>`))
	f.Add([]byte{0xff, 0xfe, '<'})
	w := newWorld(f, false)
	ctx := testContext(f, 10*time.Minute)
	f.Fuzz(func(t *testing.T, body []byte) {
		wx := *w.wx
		wx.t = t
		code, out := wx.post(ctx, wx.wrap(wang, body))
		switch {
		case code == http.StatusOK:
			// WeChat replies to the sender named in the body; read only
			// checks the reply is well formed for someone.
			if string(out) != "success" && !bytes.HasPrefix(out, []byte("<xml>")) {
				t.Errorf("200 with %q", out)
			}
		case code >= 400 && code < 500:
			var e struct{ Error string }
			if json.Unmarshal(out, &e) != nil || e.Error == "" {
				t.Errorf("%d without a JSON error: %q", code, out)
			}
		default:
			t.Errorf("HTTP %d for %q", code, body)
		}
	})
}
