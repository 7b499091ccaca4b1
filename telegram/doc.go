// Package telegram is the Telegram channel: it carries the dialogue engine's
// turns to and from Telegram chats through github.com/go-telegram/bot.
//
// Updates arrive by long polling, or by webhook when a public URL is
// configured. Each is claimed in the Store before it is handled, so a
// duplicate or a redelivery after a restart gets no second reply, and the
// messages of one conversation are handled in order, one at a time.
// Replies are rendered in HTML from the structured reply, every text
// escaped; follow-up questions become inline keyboards whose callback data
// names the turn and the button's place. Outgoing messages keep to
// Telegram's rate limits, wait out a 429 for as long as it says, and retry
// a Bot API that is down with back-off. In groups the bot answers only
// when mentioned or replied to.
package telegram
