package wechat

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/silenceper/wechat/v2/officialaccount/message"

	"policybot/bot"
	"policybot/retrieval"
)

// channelName is the channel's name in the engine's log.
const channelName = "wechat"

// Kinds of message, for the messages metric.
const (
	kindText      = "text"
	kindOption    = "option"    // just the number of an option offered
	kindMore      = "more"      // 全部: the rest of a long reply
	kindVoice     = "voice"     // with WeChat's recognition of it
	kindUnheard   = "unheard"   // voice WeChat did not recognise
	kindSubscribe = "subscribe" // a new follower
	kindEvent     = "event"     // other events: unsubscribe, menu clicks, scans …
	kindOther     = "other"     // images, video, location, links, kinds unknown
)

// incoming is a message, read.
type incoming struct {
	msgID  int64 // 0 for events, which have none
	openID string
	kind   string
	text   string // what the person said: the text, or WeChat's recognition of the voice
}

// read tells what a message is.
func read(m *message.MixMessage) incoming {
	in := incoming{msgID: m.MsgID, openID: string(m.FromUserName), kind: kindOther}
	switch m.MsgType {
	case message.MsgTypeText:
		in.kind, in.text = kindText, m.Content
	case message.MsgTypeVoice:
		in.kind, in.text = kindVoice, m.Recognition
		if in.text == "" {
			in.kind = kindUnheard
		}
	case message.MsgTypeEvent:
		in.msgID, in.kind = 0, kindEvent
		if m.Event == message.EventSubscribe {
			in.kind = kindSubscribe
		}
	}
	return in
}

// reply is what to answer a message with; empty for nothing. A message is
// answered once: a retry of one being answered waits for its reply (until
// WeChat hangs up), and a retry of one answered gets the reply it was
// given, from the store.
func (c *Channel) reply(ctx context.Context, in incoming) string {
	switch in.kind {
	case kindSubscribe:
		c.metrics.messages.WithLabelValues(in.kind).Inc()
		return c.texts.text(languages[0], textWelcome)
	case kindEvent:
		c.metrics.messages.WithLabelValues(in.kind).Inc()
		return ""
	}
	// Detached from the request: WeChat hanging up must not cut a turn
	// short, whose reply its retry is waiting for.
	turnCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.TurnTimeout)
	defer cancel()
	if in.msgID == 0 { // not WeChat's: nothing to tell a retry by
		return c.answer(turnCtx, in)
	}
	key := msgKey{in.msgID, in.openID}
	call, first := c.answering.join(key)
	if !first {
		c.metrics.retries.Inc()
		return call.wait(ctx)
	}
	text := c.once(turnCtx, in)
	c.answering.done(key, call, text)
	return text
}

// once claims a message in the store and answers it, or gives back the
// reply it was given before a restart.
func (c *Channel) once(ctx context.Context, in incoming) string {
	c.forgetOld(ctx)
	first, err := c.store.ClaimWeChatMessage(ctx, in.msgID, in.openID)
	if err != nil {
		c.metrics.errors.WithLabelValues("store").Inc()
		c.cfg.Log.Error("wechat: claim message; not answered", "msg", in.msgID, "err", err)
		return c.texts.text(languages[0], textFailed)
	}
	if !first {
		c.metrics.retries.Inc()
		text, ok, err := c.awaitReply(ctx, in)
		if err == nil && ok {
			return text
		}
		// Claimed by a process that stopped before it replied, or one
		// still answering after RetryWait: the turn may have been taken,
		// so it is not taken again.
		c.metrics.errors.WithLabelValues("unanswered").Inc()
		c.cfg.Log.Warn("wechat: a retried message has no reply on record; not answered again", "msg", in.msgID, "err", err)
		return c.texts.text(languages[0], textFailed)
	}
	return c.answer(ctx, in)
}

// answered is how a message is answered: the text, and the follower's
// conversation and state after it, when they changed.
type answered struct {
	text    string
	session string // empty: the follower's chat stays as it was
	state   chatState
}

// answer answers a message in its follower's turn, and records the reply
// with the follower's new state, in one go, before the next message of
// theirs is read.
func (c *Channel) answer(ctx context.Context, in incoming) string {
	unlock, err := c.followers.lock(ctx, in.openID)
	if err != nil {
		c.metrics.errors.WithLabelValues("busy").Inc()
		return c.texts.text(languages[0], textFailed)
	}
	defer unlock()
	a := c.respond(ctx, in)
	if err := c.store.SaveWeChatAnswer(ctx, in.msgID, a.text, in.openID, a.session, a.state.Turn, a.state.encode()); err != nil {
		// The reply still goes; a retry of it, or its numbers and rest,
		// are what is lost.
		c.metrics.errors.WithLabelValues("store").Inc()
		c.cfg.Log.Error("wechat: save answer", "msg", in.msgID, "err", err)
	}
	return a.text
}

// respond decides the answer: the rest of a long reply, a request for
// text, or the engine's reply to the text or to the option whose number
// it is.
func (c *Channel) respond(ctx context.Context, in incoming) answered {
	session, st, err := c.chat(ctx, in.openID)
	if err != nil {
		c.metrics.errors.WithLabelValues("store").Inc()
		c.cfg.Log.Error("wechat: load chat", "err", err)
		return answered{text: c.texts.text(languages[0], textFailed)}
	}
	switch {
	case in.kind == kindUnheard:
		c.metrics.messages.WithLabelValues(in.kind).Inc()
		return answered{text: c.texts.text(st.Lang, textNotHeard)}
	case in.kind == kindOther:
		c.metrics.messages.WithLabelValues(in.kind).Inc()
		return answered{text: c.texts.text(st.Lang, textNotText)}
	case c.texts.asksMore(in.text) && len(st.More) > 0:
		// With nothing left of a long reply, 查看全部 goes to the engine,
		// which shows every verdict of a check.
		c.metrics.messages.WithLabelValues(kindMore).Inc()
		part := st.More[0]
		st.More = st.More[1:]
		return answered{text: part, session: session, state: st}
	}
	msg := bot.Message{Session: session, Channel: channelName, UserID: in.openID}
	kind := in.kind
	if v, ok := st.pick(in.text); ok {
		msg.Option, kind = v, kindOption
	} else {
		msg.Text = in.text
	}
	c.metrics.messages.WithLabelValues(kind).Inc()
	r, err := c.engine.Handle(ctx, msg)
	if err != nil {
		return answered{text: c.failed(in, st.Lang, err)}
	}
	parts := c.render(r)
	next := chatState{Turn: r.Turn, Lang: r.Lang, More: parts[1:]}
	for _, o := range r.Options() {
		next.Options = append(next.Options, o.Value)
	}
	return answered{text: parts[0], session: r.Session, state: next}
}

// chat loads a follower's session and state.
func (c *Channel) chat(ctx context.Context, openID string) (string, chatState, error) {
	session, state, err := c.store.WeChatChat(ctx, openID)
	if err != nil {
		return "", chatState{}, err
	}
	return session, decodeChatState(state), nil
}

// failed is what to say when the engine could not answer: why, if it was
// the message, or that something went wrong on our side.
func (c *Channel) failed(in incoming, lang string, err error) string {
	switch {
	case errors.Is(err, retrieval.ErrTooLong):
		return c.texts.text(lang, textTooLong)
	case errors.Is(err, bot.ErrBadMessage):
		return c.texts.text(lang, textUnreadable)
	}
	c.metrics.errors.WithLabelValues("engine").Inc()
	c.cfg.Log.Error("wechat: handle message", "msg", in.msgID, "err", fmt.Errorf("%s: %w", in.kind, err))
	return c.texts.text(lang, textFailed)
}

// forgetOld drops claims older than any retry, at most every quarter of
// claimMemory.
func (c *Channel) forgetOld(ctx context.Context) {
	now := c.cfg.Now()
	if last := c.forgot.Load(); last != 0 && now.UnixNano()-last < int64(claimMemory/4) {
		return
	}
	c.forgot.Store(now.UnixNano())
	if _, err := c.store.ForgetWeChatMessages(ctx, now.Add(-claimMemory)); err != nil {
		c.metrics.errors.WithLabelValues("store").Inc()
		c.cfg.Log.Warn("wechat: forget old messages", "err", err)
	}
}

// replyPoll is how often a retry looks for the reply another instance is
// answering its message with.
const replyPoll = 50 * time.Millisecond

// awaitReply waits, at most RetryWait, for the reply to a message claimed
// before: by this process before a restart (it is there already), or by
// another instance sharing the database that is answering it now.
func (c *Channel) awaitReply(ctx context.Context, in incoming) (string, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RetryWait)
	defer cancel()
	for {
		text, ok, err := c.store.WeChatReply(ctx, in.msgID, in.openID)
		if ok || err != nil {
			return text, ok, err
		}
		select {
		case <-ctx.Done():
			return "", false, nil
		case <-time.After(replyPoll):
		}
	}
}
