package wechat

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// platform plays WeChat's server against the channel, as the 公众平台's
// documentation describes it, written here from that description rather
// than with the SDK the channel uses: it signs every request with the
// token (SHA-1 of token, timestamp and nonce, sorted and joined), in safe
// mode encrypts the message (AES-256-CBC, IV the key's first 16 bytes,
// random(16) + length(4) + XML + AppID, PKCS#7 to 32 bytes, base64) and
// signs the ciphertext too, hangs up after 5 seconds, and accepts a reply
// only as WeChat would: a text message to the sender from the account,
// its Content within 2048 bytes, encrypted and signed in safe mode.
type platform struct {
	t       testing.TB
	url     string
	token   string
	aesKey  string // empty: 明文模式
	appID   string
	account string // the account's original id, gh_…
	client  *http.Client
}

// The account's settings in the 公众平台.
const (
	testToken   = "policybotToken2026"
	testAESKey  = "kWxPEV2UEDyxWpmPdKbVfOQT4aWM6BTSU2ZC3wV8fHx"
	testAppID   = "wx5823bf96d3bd56c7"
	testAccount = "gh_3f2b9c1d7e8a"
)

// msgIDs numbers the messages people send; WeChat's are 64-bit.
var msgIDs atomic.Int64

func init() { msgIDs.Store(24_000_000_000_000_000) }

func nextMsgID() int64 { return msgIDs.Add(1) }

// signature is the documented signature: SHA-1 of the strings sorted and
// joined, in hex.
func signature(parts ...string) string {
	s := append([]string(nil), parts...)
	sort.Strings(s)
	sum := sha1.Sum([]byte(strings.Join(s, "")))
	return hex.EncodeToString(sum[:])
}

// nonce is a random nonce as WeChat sends: digits.
func nonce() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return strconv.FormatUint(uint64(binary.BigEndian.Uint32(b[:])), 10)
}

// key is the AES key an EncodingAESKey stands for.
func (p *platform) key() []byte {
	k, err := base64.StdEncoding.DecodeString(p.aesKey + "=")
	if err != nil || len(k) != 32 {
		p.t.Fatalf("EncodingAESKey %q: %v", p.aesKey, err)
	}
	return k
}

// seal encrypts a message for appID as WeChat does.
func (p *platform) seal(msg []byte, appID string) string {
	var plain bytes.Buffer
	random := make([]byte, 16)
	_, _ = rand.Read(random)
	plain.Write(random)
	_ = binary.Write(&plain, binary.BigEndian, uint32(len(msg)))
	plain.Write(msg)
	plain.WriteString(appID)
	pad := 32 - plain.Len()%32
	plain.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	k := p.key()
	block, _ := aes.NewCipher(k)
	out := make([]byte, plain.Len())
	cipher.NewCBCEncrypter(block, k[:16]).CryptBlocks(out, plain.Bytes())
	return base64.StdEncoding.EncodeToString(out)
}

// unseal decrypts a reply and checks the AppID it names.
func (p *platform) unseal(enc string) []byte {
	p.t.Helper()
	data, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(data) == 0 || len(data)%32 != 0 {
		p.t.Fatalf("reply's Encrypt is not base64 of whole blocks: %v", err)
	}
	k := p.key()
	block, _ := aes.NewCipher(k)
	plain := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, k[:16]).CryptBlocks(plain, data)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > 32 {
		p.t.Fatalf("reply padded with %d bytes", pad)
	}
	plain = plain[:len(plain)-pad]
	n := int(binary.BigEndian.Uint32(plain[16:20]))
	if 20+n > len(plain) {
		p.t.Fatalf("reply's length %d runs past its end", n)
	}
	if app := string(plain[20+n:]); app != p.appID {
		p.t.Fatalf("reply encrypted for AppID %q, want %q", app, p.appID)
	}
	return plain[20 : 20+n]
}

// request is a message on its way: the query WeChat adds to the server
// URL, and the body.
type request struct {
	query url.Values
	body  []byte
}

// wrap signs a message for the channel, encrypting it in safe mode.
func (p *platform) wrap(openID string, msg []byte) request {
	ts, n := strconv.FormatInt(time.Now().Unix(), 10), nonce()
	q := url.Values{"signature": {signature(p.token, ts, n)}, "timestamp": {ts}, "nonce": {n}, "openid": {openID}}
	if p.aesKey == "" {
		return request{q, msg}
	}
	enc := p.seal(msg, p.appID)
	q.Set("encrypt_type", "aes")
	q.Set("msg_signature", signature(p.token, ts, n, enc))
	body := fmt.Sprintf("<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt></xml>", p.account, enc)
	return request{q, []byte(body)}
}

// post sends a request as WeChat does, and returns the status and body.
func (p *platform) post(ctx context.Context, r request) (int, []byte) {
	p.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url+"?"+r.query.Encode(), bytes.NewReader(r.body))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/xml")
	resp, err := p.client.Do(req)
	if err != nil {
		p.t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		p.t.Fatal(err)
	}
	return resp.StatusCode, body
}

// reply is a passive text reply as WeChat reads it.
type reply struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   string   `xml:"ToUserName"`
	FromUserName string   `xml:"FromUserName"`
	CreateTime   int64    `xml:"CreateTime"`
	MsgType      string   `xml:"MsgType"`
	Content      string   `xml:"Content"`
}

// sealedReply is a safe-mode reply.
type sealedReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      string   `xml:"Encrypt"`
	MsgSignature string   `xml:"MsgSignature"`
	TimeStamp    string   `xml:"TimeStamp"`
	Nonce        string   `xml:"Nonce"`
}

// send posts a message from openID and returns the text WeChat would show
// them: the reply's Content, or "" for "success" (nothing to show). It
// fails the test on anything WeChat would not take.
func (p *platform) send(ctx context.Context, openID string, msg []byte) string {
	p.t.Helper()
	code, body := p.post(ctx, p.wrap(openID, msg))
	if code != http.StatusOK {
		p.t.Fatalf("HTTP %d: %s", code, body)
	}
	return p.read(openID, body)
}

// read checks a passive reply to openID as WeChat would and returns its
// text.
func (p *platform) read(openID string, body []byte) string {
	p.t.Helper()
	if string(body) == "success" || len(body) == 0 {
		return ""
	}
	if p.aesKey != "" {
		var s sealedReply
		if err := xml.Unmarshal(body, &s); err != nil || s.Encrypt == "" {
			p.t.Fatalf("safe-mode reply is not encrypted XML (%v): %s", err, body)
		}
		if s.MsgSignature != signature(p.token, s.TimeStamp, s.Nonce, s.Encrypt) {
			p.t.Fatalf("reply's MsgSignature does not verify")
		}
		body = p.unseal(s.Encrypt)
	}
	var r reply
	if err := xml.Unmarshal(body, &r); err != nil {
		p.t.Fatalf("reply is not XML: %v: %s", err, body)
	}
	switch {
	case r.MsgType != "text":
		p.t.Fatalf("reply of type %q, want text", r.MsgType)
	case r.ToUserName != openID || r.FromUserName != p.account:
		p.t.Fatalf("reply from %q to %q, want from %s to %s", r.FromUserName, r.ToUserName, p.account, openID)
	case r.CreateTime <= 0:
		p.t.Fatalf("reply without CreateTime")
	case len(r.Content) > 2048:
		p.t.Fatalf("reply of %d bytes: WeChat delivers at most 2048", len(r.Content))
	case !utf8.ValidString(r.Content) || r.Content == "":
		p.t.Fatalf("reply content %q", r.Content)
	}
	return r.Content
}

// The messages people send, as WeChat's server posts them.

func textXML(openID string, id int64, text string) []byte {
	return []byte(fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId></xml>`,
		testAccount, openID, time.Now().Unix(), text, id))
}

func voiceXML(openID string, id int64, recognition string) []byte {
	return []byte(fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id_8a7b]]></MediaId>`+
		`<Format><![CDATA[amr]]></Format><Recognition><![CDATA[%s]]></Recognition><MsgId>%d</MsgId></xml>`,
		testAccount, openID, time.Now().Unix(), recognition, id))
}

func imageXML(openID string, id int64) []byte {
	return []byte(fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz.qpic.cn/x.jpg]]></PicUrl>`+
		`<MediaId><![CDATA[media_id_3c4d]]></MediaId><MsgId>%d</MsgId></xml>`,
		testAccount, openID, time.Now().Unix(), id))
}

func locationXML(openID string, id int64) []byte {
	return []byte(fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[location]]></MsgType><Location_X>29.563009</Location_X>`+
		`<Location_Y>106.551556</Location_Y><Scale>15</Scale><Label><![CDATA[重庆市渝中区]]></Label><MsgId>%d</MsgId></xml>`,
		testAccount, openID, time.Now().Unix(), id))
}

// kindXML is a message of a kind WeChat may add one day.
func kindXML(openID string, id int64, kind string) []byte {
	return []byte(fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[%s]]></MsgType><Payload><![CDATA[…]]></Payload><MsgId>%d</MsgId></xml>`,
		testAccount, openID, time.Now().Unix(), kind, id))
}

func eventXML(openID, event string) []byte {
	return []byte(fmt.Sprintf(`<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>`+
		`<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event></xml>`,
		testAccount, openID, time.Now().Unix(), event))
}
