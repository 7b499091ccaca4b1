package wechat

import (
	"context"
	"time"
)

// Store is what the channel keeps across restarts: the messages it has
// answered and with what, and the conversation each follower is in. An
// OpenID identifies a person, so a store keeps it only as a keyed hash.
// sqlite.DB implements it.
type Store interface {
	// ClaimWeChatMessage records that a message is being answered and
	// reports whether it was new; false means WeChat is retrying it.
	ClaimWeChatMessage(ctx context.Context, msgID int64, openID string) (bool, error)
	// WeChatReply returns the reply a claimed message of this follower was
	// given; ok is false if it has none (yet).
	WeChatReply(ctx context.Context, msgID int64, openID string) (reply string, ok bool, err error)
	// ForgetWeChatMessages deletes the messages claimed before the given
	// time.
	ForgetWeChatMessages(ctx context.Context, before time.Time) (int64, error)
	// WeChatChat returns the conversation of a follower and the channel's
	// opaque state for it; an empty session if there is none.
	WeChatChat(ctx context.Context, openID string) (session string, state []byte, err error)
	// SaveWeChatAnswer records, together, the reply a claimed message was
	// given (a msgID of 0 claims nothing) and, unless session is empty,
	// the conversation of the follower and the channel's state for it
	// after the given turn. As for Telegram's chats, a save never replaces
	// the state of a later turn of the same conversation (two messages
	// answered at once by two instances may finish out of order), and a
	// save of another conversation replaces it.
	SaveWeChatAnswer(ctx context.Context, msgID int64, reply, openID, session string, turn int64, state []byte) error
}

// claimMemory is how long answered messages are remembered: WeChat retries
// a message within about fifteen seconds of sending it, never later.
const claimMemory = time.Hour
