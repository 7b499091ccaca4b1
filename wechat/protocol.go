package wechat

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/silenceper/wechat/v2/officialaccount/message"
	"github.com/silenceper/wechat/v2/util"
)

// The Official Account message protocol, on the SDK's message types and
// crypto helpers (util.Signature, util.DecryptMsg, util.EncryptMsg): every
// request carries signature = SHA-1 of token, timestamp and nonce sorted
// and joined; in safe mode the body is <xml><Encrypt>…</Encrypt></xml>,
// signed again over the ciphertext (msg_signature), and the reply is
// encrypted and signed the same way.

// refusal is a request refused, with the HTTP status and the reason for
// the metric; every refusal is decided before anything is handled.
type refusal struct {
	code   int
	reason string // for policybot_wechat_refused_total
	msg    string
}

func (e *refusal) Error() string { return e.msg }

func refuse(code int, reason, format string, args ...any) *refusal {
	return &refusal{code: code, reason: reason, msg: fmt.Sprintf(format, args...)}
}

// envelope is how a message came: in the clear or encrypted, and the nonce
// an encrypted reply is signed with.
type envelope struct {
	safe  bool
	nonce string
}

// signed reports whether the query carries the signature of the channel's
// token over its timestamp and nonce, compared in constant time.
func (c *Channel) signed(q url.Values) bool {
	ts, nonce, sig := q.Get("timestamp"), q.Get("nonce"), q.Get("signature")
	if ts == "" || nonce == "" || sig == "" {
		return false
	}
	return equal(sig, util.Signature(c.cfg.Token, ts, nonce))
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// readBody reads a request body of at most MaxBody bytes.
func (c *Channel) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.cfg.MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, refuse(http.StatusRequestEntityTooLarge, "too_large", "body over %d bytes", c.cfg.MaxBody)
	case err != nil:
		return nil, refuse(http.StatusBadRequest, "unreadable", "unreadable body")
	}
	return body, nil
}

// open reads the message of a signed request: it checks msg_signature and
// decrypts a safe-mode body, and refuses a message in the clear when the
// channel has a key, so a signature seen once (it covers no body) cannot
// carry other words.
func (c *Channel) open(q url.Values, body []byte) (*message.MixMessage, envelope, error) {
	env := envelope{safe: q.Get("encrypt_type") == "aes", nonce: q.Get("nonce")}
	if c.cfg.EncodingAESKey != "" && !env.safe {
		return nil, env, refuse(http.StatusUnauthorized, "signature", "this account is in safe mode: messages must be encrypted")
	}
	plain := body
	// 兼容模式 sends the message in the clear beside the ciphertext: without
	// a key, it is read and answered in the clear.
	noKey := env.safe && c.cfg.EncodingAESKey == ""
	if noKey {
		env.safe = false
	}
	if env.safe {
		var sealed message.EncryptedXMLMsg
		if err := xml.Unmarshal(body, &sealed); err != nil {
			return nil, env, refuse(http.StatusBadRequest, "malformed", "body is not WeChat's XML: %v", err)
		}
		if sealed.EncryptedMsg == "" {
			return nil, env, refuse(http.StatusBadRequest, "malformed", "encrypted message without Encrypt")
		}
		if !equal(q.Get("msg_signature"), util.Signature(c.cfg.Token, q.Get("timestamp"), env.nonce, sealed.EncryptedMsg)) {
			return nil, env, refuse(http.StatusUnauthorized, "signature", "wrong or missing msg_signature")
		}
		_, p, err := util.DecryptMsg(c.cfg.AppID, sealed.EncryptedMsg, c.cfg.EncodingAESKey)
		if err != nil {
			c.cfg.Log.Warn("wechat: a signed message could not be decrypted; are WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID those of the 公众平台?", "err", err)
			return nil, env, refuse(http.StatusBadRequest, "undecryptable", "cannot decrypt the message")
		}
		plain = p
	}
	var m message.MixMessage
	if err := xml.Unmarshal(plain, &m); err != nil {
		return nil, env, refuse(http.StatusBadRequest, "malformed", "body is not WeChat's XML: %v", err)
	}
	if noKey && m.MsgType == "" {
		c.cfg.Log.Error("wechat: an encrypted message came but no EncodingAESKey is set; set WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID")
		return nil, env, refuse(http.StatusBadRequest, "no_key", "encrypted message, and no key to decrypt it")
	}
	if m.FromUserName == "" || m.ToUserName == "" || m.MsgType == "" {
		return nil, env, refuse(http.StatusBadRequest, "malformed", "message without ToUserName, FromUserName or MsgType")
	}
	return &m, env, nil
}

// passiveReply is the XML answering message m with text: a text message to
// its sender, encrypted and signed if m came encrypted.
func (c *Channel) passiveReply(m *message.MixMessage, env envelope, text string) ([]byte, error) {
	t := message.NewText(text)
	t.SetToUserName(m.FromUserName)
	t.SetFromUserName(m.ToUserName)
	t.SetCreateTime(c.cfg.Now().Unix())
	t.SetMsgType(message.MsgTypeText)
	body, err := xml.Marshal(t)
	if err != nil || !env.safe {
		return body, err
	}
	random := make([]byte, 16)
	_, _ = rand.Read(random) // crypto/rand.Read never fails
	sealed, err := util.EncryptMsg(random, body, c.cfg.AppID, c.cfg.EncodingAESKey)
	if err != nil {
		return nil, fmt.Errorf("encrypt reply: %w", err)
	}
	ts := c.cfg.Now().Unix()
	return xml.Marshal(message.ResponseEncryptedXMLMsg{
		EncryptedMsg: string(sealed),
		MsgSignature: util.Signature(c.cfg.Token, strconv.FormatInt(ts, 10), env.nonce, string(sealed)),
		Timestamp:    ts,
		Nonce:        env.nonce,
	})
}
