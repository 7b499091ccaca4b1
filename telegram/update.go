package telegram

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	tgbot "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// Kinds of update, for the updates metric.
const (
	kindMessage     = "message"
	kindCommand     = "command"
	kindCallback    = "callback"    // a button pressed
	kindMedia       = "media"       // a sticker, photo, voice message … in a private chat
	kindEdited      = "edited"      // an edit of a message already answered
	kindUnaddressed = "unaddressed" // in a group, not for the bot; or for another bot
	kindOther       = "other"       // service messages, channel posts, other bots
)

// incoming is an update worth handling, read.
type incoming struct {
	id       int64
	kind     string
	chat     chatRef
	key      string // the conversation: a private chat, or a member of a group
	user     int64
	lang     string // of the channel's own words: zh or en
	text     string // what the engine is told
	replyTo  int    // in a group, the message the reply answers
	callback *models.CallbackQuery
	answered bool // the callback query has been answered: a query takes one answer
}

// self is the bot as getMe described it, and how it is mentioned.
type self struct {
	user    *models.User
	mention *regexp.Regexp // @username, as a whole word, in any case
}

func newSelf(u *models.User) *self {
	return &self{user: u, mention: regexp.MustCompile(`(?i)@` + regexp.QuoteMeta(u.Username) + `\b`)}
}

// onUpdate is the library's handler for every update, called in order in
// one goroutine: it reads the update, claims it in the store, and queues
// it for its conversation. ctx is Run's.
func (c *Channel) onUpdate(ctx context.Context, _ *tgbot.Bot, u *models.Update) {
	in, kind := c.read(u)
	c.metrics.updates.WithLabelValues(kind).Inc()
	if in == nil {
		return
	}
	c.forgetOld(ctx)
	first, err := c.store.ClaimTelegramUpdate(ctx, u.ID)
	if err != nil {
		c.metrics.errors.WithLabelValues("store", "failed").Inc()
		c.cfg.Log.Error("telegram: claim update; dropped", "update", u.ID, "err", err)
		return
	}
	if !first {
		c.metrics.duplicates.Inc()
		c.cfg.Log.Info("telegram: update seen before; not answered again", "update", u.ID)
		return
	}
	if !c.queues.push(in.key, func() { c.handle(ctx, in) }) {
		c.metrics.errors.WithLabelValues("queue", "flood").Inc()
		c.cfg.Log.Warn("telegram: too many updates waiting in one chat; dropped", "update", u.ID)
	}
}

// read tells what an update is and, if it is for the bot, what to do.
func (c *Channel) read(u *models.Update) (*incoming, string) {
	switch {
	case u.Message != nil:
		return c.readMessage(u.ID, u.Message)
	case u.CallbackQuery != nil:
		return c.readCallback(u.ID, u.CallbackQuery)
	case u.EditedMessage != nil:
		return nil, kindEdited
	}
	return nil, kindOther
}

func (c *Channel) readMessage(id int64, m *models.Message) (*incoming, string) {
	if m.From == nil || m.From.IsBot {
		return nil, kindOther
	}
	in := &incoming{id: id, user: m.From.ID, lang: language(m.From.LanguageCode)}
	if !c.place(in, m.Chat, m) {
		return nil, kindUnaddressed
	}
	if m.Text == "" {
		if in.chat.group || !isMedia(m) {
			return nil, kindOther
		}
		in.kind = kindMedia
		return in, kindMedia
	}
	text, kind := c.words(m, in.lang, in.chat.group)
	if text == "" {
		return nil, kind
	}
	in.kind, in.text = kind, text
	return in, kind
}

func (c *Channel) readCallback(id int64, q *models.CallbackQuery) (*incoming, string) {
	m := q.Message.Message
	var chat models.Chat
	switch {
	case m != nil:
		chat = m.Chat
	case q.Message.InaccessibleMessage != nil:
		chat = q.Message.InaccessibleMessage.Chat
	default: // a button of an inline message: none of the bot's
		return nil, kindOther
	}
	in := &incoming{id: id, kind: kindCallback, user: q.From.ID, lang: language(q.From.LanguageCode), callback: q}
	if !c.place(in, chat, m) {
		return nil, kindUnaddressed
	}
	return in, kindCallback
}

// place sets where an update's reply goes and whose conversation it is: in
// a group each member has their own. It reports false for chats the bot
// does not talk in.
func (c *Channel) place(in *incoming, chat models.Chat, m *models.Message) bool {
	switch chat.Type {
	case models.ChatTypePrivate:
		in.chat, in.key = chatRef{id: chat.ID}, strconv.FormatInt(chat.ID, 10)
		return true
	case models.ChatTypeGroup, models.ChatTypeSupergroup:
		if c.cfg.Groups == GroupsOff {
			return false
		}
		in.chat, in.key = chatRef{id: chat.ID, group: true}, fmt.Sprintf("%d:%d", chat.ID, in.user)
		if m != nil {
			in.replyTo = m.ID
			if m.IsTopicMessage {
				in.chat.thread = m.MessageThreadID
			}
		}
		return true
	}
	return false
}

// words are what the engine is told for a text message, and its kind; no
// words if it is not for the bot. A command becomes its phrase in the
// person's language (the engine tells languages by the text, and "/check"
// reads as English); in a group, a message is for the bot when it mentions
// it, replies to it, or is a command (bare, or /cmd@bot).
func (c *Channel) words(m *models.Message, lang string, group bool) (string, string) {
	me := c.me.Load()
	if name, at, ok := commandOf(m.Text); ok {
		if at != "" && !strings.EqualFold(at, me.user.Username) {
			return "", kindUnaddressed // another bot's
		}
		cmd, known := c.texts.command(name)
		if !known {
			if group && at == "" {
				return "", kindUnaddressed
			}
			cmd, _ = c.texts.command(commandHelp)
		}
		return cmd.in(lang).Says, kindCommand
	}
	if group && !repliesTo(m, me.user) && !mentions(m, me) {
		return "", kindUnaddressed
	}
	text := strings.TrimSpace(me.mention.ReplaceAllString(m.Text, " "))
	if text == "" { // "@bot" alone: say hello
		cmd, _ := c.texts.command(commandStart)
		return cmd.in(lang).Says, kindCommand
	}
	return text, kindMessage
}

// commandName is what Telegram allows as a command.
var commandName = regexp.MustCompile(`^[A-Za-z0-9_]{1,32}$`)

// commandOf splits "/check@policybot more" into "check" and "policybot";
// ok is false for a text that is not a command ("/ 12333" is not).
func commandOf(text string) (name, at string, ok bool) {
	rest, found := strings.CutPrefix(text, "/")
	if !found {
		return "", "", false
	}
	if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
		rest = rest[:i]
	}
	name, at, _ = strings.Cut(rest, "@")
	if !commandName.MatchString(name) {
		return "", "", false
	}
	return strings.ToLower(name), at, true
}

// repliesTo reports whether m answers one of the bot's messages.
func repliesTo(m *models.Message, me *models.User) bool {
	r := m.ReplyToMessage
	return r != nil && r.From != nil && r.From.ID == me.ID
}

// mentions reports whether m names the bot: @username, or a mention of
// its account.
func mentions(m *models.Message, me *self) bool {
	if me.mention.MatchString(m.Text) {
		return true
	}
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeTextMention && e.User != nil && e.User.ID == me.user.ID {
			return true
		}
	}
	return false
}

// isMedia reports whether m carries something to look at or listen to
// rather than text: the person may expect an answer, so is told to write.
func isMedia(m *models.Message) bool {
	return m.Sticker != nil || len(m.Photo) > 0 || m.Voice != nil || m.Audio != nil || m.Video != nil ||
		m.VideoNote != nil || m.Document != nil || m.Animation != nil
}
