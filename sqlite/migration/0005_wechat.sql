-- The WeChat Official Account channel's memory: which conversation each
-- follower is in, and the messages answered, so a retry is answered with
-- the same reply. Times are Unix milliseconds.

-- An OpenID identifies a person, so only its keyed hash is kept, as for
-- user ids. A conversation purged takes its chat row with it.
CREATE TABLE wechat_chats (
	chat_hash       TEXT PRIMARY KEY, -- hex HMAC-SHA256(key, "wechat-chat:" OpenID)
	conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	state           BLOB NOT NULL,    -- the channel's JSON (numbered options, parts not yet shown), opaque here
	updated         INTEGER NOT NULL
) STRICT;

CREATE INDEX wechat_chats_conversation ON wechat_chats (conversation_id);

-- MsgIds claimed, with the reply each was given once it was answered.
-- WeChat retries a message it got no reply for within seconds, so rows are
-- forgotten after an hour.
CREATE TABLE wechat_messages (
	msg_id    INTEGER PRIMARY KEY,
	chat_hash TEXT NOT NULL,  -- whose message it was: a retry must come from the same follower
	at        INTEGER NOT NULL,
	reply     TEXT            -- NULL until answered
) STRICT;

CREATE INDEX wechat_messages_at ON wechat_messages (at);
