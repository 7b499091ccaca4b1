package telegram

import (
	"context"
	"time"
)

// Store is what the channel keeps across restarts: the updates it has
// handled, and the conversation each chat is in. A chat key is a private
// chat's id, or a group's id and a member's id; it identifies a person, so
// a store keeps it only as a keyed hash. sqlite.DB and postgres.DB implement
// it.
type Store interface {
	// ClaimTelegramUpdate records that an update is being handled and
	// reports whether it was new; false means it was claimed before and
	// must get no reply.
	ClaimTelegramUpdate(ctx context.Context, id int64) (bool, error)
	// ForgetTelegramUpdates deletes the ids claimed before the given time.
	ForgetTelegramUpdates(ctx context.Context, before time.Time) (int64, error)
	// TelegramChat returns the conversation of a chat key and the
	// channel's opaque state for it; an empty session if there is none.
	TelegramChat(ctx context.Context, key string) (session string, state []byte, err error)
	// SaveTelegramChat records the conversation of a chat key and the
	// channel's state for it after the given turn (the engine's turn id,
	// which grows with each turn of a conversation). Two updates of one
	// chat handled at once, at two instances, may finish out of order, so
	// a save never replaces the state of a later turn of the same
	// conversation. A save of another conversation replaces it: the
	// engine starts one only when the chat's is missing, expired or
	// purged, and the chat moves to it.
	SaveTelegramChat(ctx context.Context, key, session string, turn int64, state []byte) error
}

// updateMemory is how long update ids are remembered: Telegram keeps an
// undelivered update for at most a day, so no redelivery comes later.
const updateMemory = 72 * time.Hour
