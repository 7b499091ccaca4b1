package wechat

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"
)

// Defaults of the channel's settings.
const (
	// DefaultPath is where serve mounts the channel: the path of the server
	// URL (服务器地址) entered in the 公众平台.
	DefaultPath = "/wechat"
	// DefaultMaxBody bounds a request body. A text message of the longest
	// kind WeChat allows, encrypted, is a small fraction of it.
	DefaultMaxBody = 256 << 10
	// DefaultTurnTimeout bounds the answering of one message. WeChat hangs
	// up after 5 seconds and retries twice; a turn still running then goes
	// on, so a retry can be given its reply.
	DefaultTurnTimeout = 30 * time.Second
	// DefaultRetryWait bounds how long a retry of a message that another
	// instance is answering waits for that answer: within the 5 seconds
	// WeChat waits for a reply.
	DefaultRetryWait = 4 * time.Second
)

// Config is what a Channel is built from; cmd fills it from the environment.
type Config struct {
	// Token is the 令牌 entered in the 公众平台: 3-32 letters or digits.
	// Every request is signed with it.
	Token string
	// EncodingAESKey is the 消息加解密密钥 (43 characters). Set, messages
	// must come encrypted (安全模式, or 兼容模式) and replies are encrypted;
	// empty, the channel speaks 明文模式.
	EncodingAESKey string
	// AppID is the account's AppID; required with EncodingAESKey, as every
	// encrypted message names the account it is for.
	AppID string
	// Path is where the channel is served; DefaultPath if empty.
	Path string

	MaxBody     int64         // largest request body accepted, in bytes
	TurnTimeout time.Duration // how long answering one message may take
	// RetryWait is how long a retry of a message claimed by another
	// instance sharing the database waits for its reply to be recorded.
	RetryWait time.Duration

	Now func() time.Time // the clock, for replies' CreateTime and forgetting claims
	Log *slog.Logger
}

var (
	// token is what the 公众平台 accepts as a Token.
	token = regexp.MustCompile(`^[A-Za-z0-9]{3,32}$`)
	// appID is what an AppID looks like: wx and 16 hex digits.
	appID = regexp.MustCompile(`^wx[0-9A-Fa-f]{16}$`)
	// path is a clean absolute path of safe characters, other than "/".
	path = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)
)

// withDefaults checks a config and fills in what was left out.
func (c Config) withDefaults() (Config, error) {
	if !token.MatchString(c.Token) {
		return c, errors.New("wechat: the token must be 3-32 letters or digits, as the 公众平台 requires")
	}
	if c.EncodingAESKey != "" {
		if _, err := aesKey(c.EncodingAESKey); err != nil {
			return c, err
		}
		if !appID.MatchString(c.AppID) {
			return c, fmt.Errorf("wechat: an EncodingAESKey needs the account's AppID (wx and 16 hex digits), have %q", c.AppID)
		}
	}
	if c.Path == "" {
		c.Path = DefaultPath
	}
	if !path.MatchString(c.Path) {
		return c, fmt.Errorf("wechat: path %q: want /name, of letters, digits and . _ ~ -", c.Path)
	}
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.TurnTimeout <= 0 {
		c.TurnTimeout = DefaultTurnTimeout
	}
	if c.RetryWait <= 0 {
		c.RetryWait = DefaultRetryWait
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c, nil
}

// aesKey decodes an EncodingAESKey: 43 characters of base64, without the
// trailing "=", for a 32-byte AES key.
func aesKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(s + "=")
	if len(s) != 43 || err != nil || len(key) != 32 {
		return nil, errors.New("wechat: the EncodingAESKey must be the 43 characters the 公众平台 generated")
	}
	return key, nil
}
