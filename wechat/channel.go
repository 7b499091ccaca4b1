package wechat

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"policybot/bot"
)

// Engine is the dialogue engine as the channel uses it.
type Engine interface {
	Handle(ctx context.Context, m bot.Message) (*bot.Reply, error)
}

// Channel is the WeChat Official Account channel: an http.Handler for the
// server URL configured in the 公众平台. Build it with New and mount it at
// Path.
type Channel struct {
	cfg       Config
	engine    Engine
	store     Store
	texts     *texts
	metrics   *metrics
	answering *answering // messages being answered, by MsgId
	followers *followers // one message per follower at a time
	forgot    atomic.Int64
}

// New builds a channel.
func New(cfg Config, engine Engine, store Store) (*Channel, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if engine == nil || store == nil {
		return nil, errors.New("wechat: engine and store are required")
	}
	t, err := loadTexts()
	if err != nil {
		return nil, err
	}
	return &Channel{
		cfg: cfg, engine: engine, store: store, texts: t, metrics: newMetrics(),
		answering: newAnswering(), followers: newFollowers(),
	}, nil
}

// Path is where the channel is to be mounted.
func (c *Channel) Path() string { return c.cfg.Path }

// SafeMode reports whether messages must come encrypted.
func (c *Channel) SafeMode() bool { return c.cfg.EncodingAESKey != "" }

// Collectors are the channel's Prometheus collectors, for web.Server.Register.
func (c *Channel) Collectors() []prometheus.Collector { return c.metrics.collectors() }

// ServeHTTP answers WeChat's server: GET is the URL check of the 公众平台
// (the echostr sent back), POST a message or event, answered with a
// passive reply. A request without the token's signature gets 401 and is
// not read further; a body over MaxBody 413; one that is not WeChat's XML
// 400. Nothing a sender controls leads to a 5xx.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		c.verifyURL(w, r)
	case http.MethodPost:
		c.receive(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		writeJSON(w, http.StatusMethodNotAllowed, "GET or POST only")
	}
}

// verifyURL answers the check the 公众平台 makes when the server URL is
// saved: a signed GET whose echostr is sent back as it came.
func (c *Channel) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !c.signed(q) {
		c.refused(w, refuse(http.StatusUnauthorized, "signature", "wrong or missing signature"))
		return
	}
	echo := q.Get("echostr")
	if echo == "" {
		c.refused(w, refuse(http.StatusBadRequest, "malformed", "no echostr to send back"))
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.WriteString(w, echo)
}

// receive handles a message or event and writes the passive reply. The
// turn runs apart from the request, so when WeChat hangs up after 5 s it
// still finishes, and WeChat's retry is given its reply.
func (c *Channel) receive(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !c.signed(q) {
		c.refused(w, refuse(http.StatusUnauthorized, "signature", "wrong or missing signature"))
		return
	}
	body, err := c.readBody(w, r)
	if err != nil {
		c.refused(w, err)
		return
	}
	m, env, err := c.open(q, body)
	if err != nil {
		c.refused(w, err)
		return
	}
	text := c.reply(r.Context(), read(m))
	if text == "" {
		// What WeChat asks for when there is nothing to say: it then
		// neither retries nor tells the person the account failed.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "success")
		return
	}
	out, err := c.passiveReply(m, env, text)
	if err != nil {
		c.metrics.errors.WithLabelValues("reply").Inc()
		c.cfg.Log.Error("wechat: write reply", "err", err)
		writeJSON(w, http.StatusInternalServerError, "could not write the reply")
		return
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(out)
}

// refused answers a refused request with its status and a JSON message.
func (c *Channel) refused(w http.ResponseWriter, err error) {
	var e *refusal
	if !errors.As(err, &e) {
		e = refuse(http.StatusBadRequest, "malformed", "%v", err)
	}
	c.metrics.refused.WithLabelValues(e.reason).Inc()
	writeJSON(w, e.code, e.msg)
}

// writeJSON answers with a JSON error, as the rest of the server does.
func writeJSON(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}
