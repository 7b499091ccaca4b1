package telegram

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"policybot/bot"
	"policybot/retrieval"
)

// channelName is the channel's name in the engine's log.
const channelName = "telegram"

// handle handles one update in its conversation's turn. An update still
// waiting when the channel stops is dropped; one being handled gets
// shutdownGrace to finish, so a turn committed is not left unsent.
func (c *Channel) handle(runCtx context.Context, in *incoming) {
	if runCtx.Err() != nil {
		c.metrics.errors.WithLabelValues("update", "shutdown").Inc()
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), c.cfg.UpdateTimeout)
	defer cancel()
	stop := context.AfterFunc(runCtx, func() { time.AfterFunc(shutdownGrace, cancel) })
	defer stop()
	switch in.kind {
	case kindCallback:
		c.pressed(ctx, in)
	case kindMedia:
		c.notify(ctx, in, noticeNotText)
	default:
		c.said(ctx, in)
	}
}

// said answers a text message.
func (c *Channel) said(ctx context.Context, in *incoming) {
	session, _, err := c.chat(ctx, in.key)
	if err != nil {
		c.failed(ctx, in, err)
		return
	}
	reply, err := c.engine.Handle(ctx, bot.Message{
		Session: session, Channel: channelName, UserID: strconv.FormatInt(in.user, 10), Text: in.text,
	})
	if err != nil {
		c.failed(ctx, in, err)
		return
	}
	c.deliver(ctx, in, reply)
}

// pressed answers a button: a live one moves the dialogue on, marks the
// question with the choice and takes its keyboard away; any other (of a
// question since answered, of someone else's question in a group, or
// forged) gets a polite word and changes nothing.
func (c *Channel) pressed(ctx context.Context, in *incoming) {
	q := in.callback
	session, st, err := c.chat(ctx, in.key)
	if err != nil {
		c.failed(ctx, in, err)
		return
	}
	value, live := st.option(q.Data)
	if session == "" || !live {
		c.answerCallback(ctx, q.ID, c.texts.notice(in.lang, noticeStaleButton))
		return
	}
	// Answered at once: the person's client shows a spinner until it is.
	c.answerCallback(ctx, q.ID, "")
	in.answered = true
	c.markChosen(ctx, in)
	reply, err := c.engine.Handle(ctx, bot.Message{
		Session: session, Channel: channelName, UserID: strconv.FormatInt(in.user, 10), Option: value,
	})
	if err != nil {
		c.failed(ctx, in, err)
		return
	}
	c.deliver(ctx, in, reply)
}

// chat loads a conversation's session and live buttons.
func (c *Channel) chat(ctx context.Context, key string) (string, chatState, error) {
	session, state, err := c.store.TelegramChat(ctx, key)
	if err != nil {
		return "", chatState{}, err
	}
	return session, decodeChatState(state), nil
}

// deliver remembers the reply's session and buttons, then sends it: HTML,
// split to fit, the keyboard under the last part.
func (c *Channel) deliver(ctx context.Context, in *incoming, r *bot.Reply) {
	opts := r.Options()
	st := chatState{Turn: r.Turn}
	for _, o := range opts {
		st.Options = append(st.Options, o.Value)
	}
	if err := c.store.SaveTelegramChat(ctx, in.key, r.Session, r.Turn, st.encode()); err != nil {
		// The reply still goes; its buttons will answer as stale.
		c.metrics.errors.WithLabelValues("store", "failed").Inc()
		c.cfg.Log.Error("telegram: save chat", "err", err)
	}
	parts := split(document(r), partLimit)
	kb := keyboard(r.Turn, opts)
	for i, p := range parts {
		var markup *inlineKeyboard
		if i == len(parts)-1 {
			markup = kb
		}
		replyTo := 0
		if i == 0 {
			replyTo = in.replyTo
		}
		if err := c.send(ctx, in.chat, p, replyTo, markup); err != nil {
			c.cfg.Log.Error("telegram: send reply", "update", in.id, "part", i+1, "of", len(parts), "err", err)
			return
		}
	}
}

// send sends one message of HTML.
func (c *Channel) send(ctx context.Context, to chatRef, text string, replyTo int, kb *inlineKeyboard) error {
	p := &tgbot.SendMessageParams{
		ChatID: to.id, MessageThreadID: to.thread, Text: text, ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tgbot.True()},
	}
	if replyTo != 0 {
		p.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
	}
	if kb != nil { // a nil pointer in the interface would still be sent, as null
		p.ReplyMarkup = kb
	}
	return c.out.call(ctx, &to, "sendMessage", replyAttempts, func(ctx context.Context) error {
		_, err := c.api.SendMessage(ctx, p)
		return err
	})
}

// markChosen appends the label pressed to the question and removes its
// keyboard. The text goes back as Telegram gave it, with its entities, so
// its bold and italics stay as they were.
func (c *Channel) markChosen(ctx context.Context, in *incoming) {
	q := in.callback
	m := q.Message.Message
	label := labelOf(m, q.Data)
	if label == "" {
		return
	}
	text := m.Text + "\n\n" + c.texts.notice(in.lang, noticeChosen) + label
	if units(text) > messageLimit {
		return
	}
	err := c.out.call(ctx, &in.chat, "editMessageText", replyAttempts, func(ctx context.Context) error {
		_, err := c.api.EditMessageText(ctx, &tgbot.EditMessageTextParams{
			ChatID: m.Chat.ID, MessageID: m.ID, Text: text, Entities: m.Entities,
		})
		return err
	})
	if err != nil && !strings.Contains(err.Error(), "message is not modified") {
		c.cfg.Log.Warn("telegram: mark the choice", "err", err)
	}
}

// answerCallback answers a button press, with a short notice if text is
// not empty.
func (c *Channel) answerCallback(ctx context.Context, id, text string) {
	err := c.out.call(ctx, nil, "answerCallbackQuery", replyAttempts, func(ctx context.Context) error {
		_, err := c.api.AnswerCallbackQuery(ctx, &tgbot.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	})
	if err != nil {
		c.cfg.Log.Warn("telegram: answer a button", "err", err)
	}
}

// notify sends one of the channel's notices: as the answer to a button
// press not yet answered, else as a message.
func (c *Channel) notify(ctx context.Context, in *incoming, name string) {
	text := c.texts.notice(in.lang, name)
	if in.kind == kindCallback && !in.answered {
		c.answerCallback(ctx, in.callback.ID, text)
		return
	}
	if err := c.send(ctx, in.chat, html.EscapeString(text), in.replyTo, nil); err != nil {
		c.cfg.Log.Error("telegram: send notice", "notice", name, "err", err)
	}
}

// failed tells the person their message could not be answered: why, if it
// was the message, or that something went wrong on our side.
func (c *Channel) failed(ctx context.Context, in *incoming, err error) {
	switch {
	case errors.Is(err, retrieval.ErrTooLong):
		c.notify(ctx, in, noticeTooLong)
	case errors.Is(err, bot.ErrBadMessage):
		c.notify(ctx, in, noticeUnreadable)
	default:
		c.metrics.errors.WithLabelValues("engine", "failed").Inc()
		c.cfg.Log.Error("telegram: handle update", "update", in.id, "err", fmt.Errorf("%s: %w", in.kind, err))
		c.notify(ctx, in, noticeFailed)
	}
}
