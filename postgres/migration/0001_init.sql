-- The whole schema as SQLite's migrations 0001 to 0006 leave it, in
-- PostgreSQL's types. Times are Unix milliseconds, as in SQLite, so that
-- both engines keep the same numbers. No column holds personal data in the
-- clear: user and chat ids are keyed hashes and texts are redacted before
-- they reach SQL (package record).

-- Conversations; version counts a session's commits (bot.SessionRecord).
CREATE TABLE conversations (
	id        text PRIMARY KEY,
	channel   text NOT NULL,
	user_hash text NOT NULL,   -- hex HMAC-SHA256(key, channel ":" user id); '' if none
	started   bigint NOT NULL,
	updated   bigint NOT NULL,
	state     bytea,           -- the dialogue engine's JSON, opaque here
	version   bigint NOT NULL DEFAULT 0
);

CREATE INDEX conversations_updated ON conversations (updated);
CREATE INDEX conversations_channel_updated ON conversations (channel, updated);

-- An identity is never reused after a purge: a stale feedback button must
-- not land on someone else's turn.
CREATE TABLE turns (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	at              bigint NOT NULL,
	text_in         text NOT NULL,
	text_out        text NOT NULL,
	status          text NOT NULL
		CHECK (status IN ('answered', 'no_answer', 'asking', 'result', 'error')),
	clauses         text NOT NULL DEFAULT '[]', -- JSON [{"doc":…,"clause":…}]
	facts           text NOT NULL DEFAULT '{}', -- JSON object, string values redacted
	fact_sources    text NOT NULL DEFAULT '{}', -- JSON object fact -> source
	latency_ms      bigint NOT NULL
);

CREATE INDEX turns_conversation ON turns (conversation_id, id);
CREATE INDEX turns_at ON turns (at);
CREATE INDEX turns_status_at ON turns (status, at);

-- id keeps the verdicts of a turn in the order they were given (SQLite's
-- rowid).
CREATE TABLE results (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	turn_id bigint NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
	benefit text NOT NULL,
	doc     text NOT NULL,
	clause  integer NOT NULL,
	status  text NOT NULL
		CHECK (status IN ('eligible', 'possible', 'ineligible', 'expired', 'superseded')),
	amount  text NOT NULL
);

CREATE INDEX results_turn ON results (turn_id);

-- One verdict per turn: a later click replaces an earlier one.
CREATE TABLE feedback (
	turn_id bigint PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
	helpful boolean NOT NULL,
	at      bigint NOT NULL
);

CREATE INDEX feedback_unhelpful_at ON feedback (at) WHERE NOT helpful;

-- The Telegram channel's memory. A chat key identifies a person, so only
-- its keyed hash is kept.
CREATE TABLE telegram_chats (
	chat_hash       text PRIMARY KEY, -- hex HMAC-SHA256(key, "telegram-chat:" chat key)
	conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	state           bytea NOT NULL,   -- the channel's JSON (the live buttons), opaque here
	updated         bigint NOT NULL
);

CREATE INDEX telegram_chats_conversation ON telegram_chats (conversation_id);

-- Update ids claimed, by whichever instance got the update first: the
-- primary key is what makes an update delivered to two instances answered
-- once.
CREATE TABLE telegram_updates (
	update_id bigint PRIMARY KEY,
	at        bigint NOT NULL
);

CREATE INDEX telegram_updates_at ON telegram_updates (at);

-- Hotline operators, their signed-in sessions and every sign-in attempt,
-- shared by every instance: a lockout counts failures made at any.
CREATE TABLE staff_accounts (
	name    text PRIMARY KEY,
	hash    text NOT NULL, -- bcrypt of the password
	created bigint NOT NULL
);

-- The id is the SHA-256 of the cookie's token.
CREATE TABLE staff_sessions (
	id      text PRIMARY KEY,
	name    text NOT NULL REFERENCES staff_accounts (name) ON DELETE CASCADE,
	started bigint NOT NULL,
	seen    bigint NOT NULL,
	addr    text NOT NULL
);

CREATE INDEX staff_sessions_started ON staff_sessions (started);

-- The name is an account's, or "#" and a keyed hash of what was typed.
CREATE TABLE staff_logins (
	id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at      bigint NOT NULL,
	name    text NOT NULL,
	addr    text NOT NULL,
	outcome text NOT NULL CHECK (outcome IN ('ok', 'failed', 'locked'))
);

CREATE INDEX staff_logins_name_at ON staff_logins (name, at);
CREATE INDEX staff_logins_addr_at ON staff_logins (addr, at);

-- A row that /healthz rewrites to prove the database takes writes.
CREATE TABLE health (
	id    integer PRIMARY KEY CHECK (id = 1),
	probe bigint NOT NULL
);

-- The WeChat channel's memory. MsgIds are claimed by whichever instance
-- got the message first; a retry at another instance finds the claim.
CREATE TABLE wechat_chats (
	chat_hash       text PRIMARY KEY, -- hex HMAC-SHA256(key, "wechat-chat:" OpenID)
	conversation_id text NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	state           bytea NOT NULL,
	updated         bigint NOT NULL
);

CREATE INDEX wechat_chats_conversation ON wechat_chats (conversation_id);

CREATE TABLE wechat_messages (
	msg_id    bigint PRIMARY KEY,
	chat_hash text NOT NULL,
	at        bigint NOT NULL,
	reply     text            -- NULL until answered
);

CREATE INDEX wechat_messages_at ON wechat_messages (at);

-- Facts about the database itself: the user key's fingerprint.
CREATE TABLE settings (
	name  text PRIMARY KEY,
	value text NOT NULL
);
