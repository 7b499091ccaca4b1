-- The Telegram channel's memory: which conversation each chat is in, and
-- which updates have been handled. Times are Unix milliseconds.

-- A chat key is a private chat's id, or a group's id and a member's id; it
-- identifies a person, so only its keyed hash is kept, as for user ids.
-- A conversation purged takes its chat row with it.
CREATE TABLE telegram_chats (
	chat_hash       TEXT PRIMARY KEY, -- hex HMAC-SHA256(key, "telegram:" chat key)
	conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	state           BLOB NOT NULL,    -- the channel's JSON (the live buttons), opaque here
	updated         INTEGER NOT NULL
) STRICT;

CREATE INDEX telegram_chats_conversation ON telegram_chats (conversation_id);

-- Update ids already handled, so a duplicate or a redelivery after a
-- restart gets no second reply. Telegram redelivers for at most a day, so
-- old ids are forgotten.
CREATE TABLE telegram_updates (
	update_id INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL
) STRICT;

CREATE INDEX telegram_updates_at ON telegram_updates (at);
