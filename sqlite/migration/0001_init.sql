-- Conversations and the log of their turns. Times are Unix milliseconds.
-- No column holds personal data in the clear: user ids are keyed hashes and
-- texts are redacted before they reach SQL.

CREATE TABLE conversations (
	id        TEXT PRIMARY KEY,
	channel   TEXT NOT NULL,
	user_hash TEXT NOT NULL, -- hex HMAC-SHA256(key, channel ":" user id); '' if none
	started   INTEGER NOT NULL,
	updated   INTEGER NOT NULL,
	state     BLOB           -- the dialogue engine's JSON, opaque here
) STRICT;

CREATE INDEX conversations_updated ON conversations (updated);
CREATE INDEX conversations_channel_updated ON conversations (channel, updated);

-- AUTOINCREMENT so that a turn id is never reused after a purge: a stale
-- feedback button must not land on someone else's turn.
CREATE TABLE turns (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
	at              INTEGER NOT NULL,
	text_in         TEXT NOT NULL,
	text_out        TEXT NOT NULL,
	status          TEXT NOT NULL
		CHECK (status IN ('answered', 'no_answer', 'asking', 'result', 'error')),
	clauses         TEXT NOT NULL DEFAULT '[]', -- JSON [{"doc":…,"clause":…}]
	facts           TEXT NOT NULL DEFAULT '{}', -- JSON object, string values redacted
	fact_sources    TEXT NOT NULL DEFAULT '{}', -- JSON object fact -> source
	latency_ms      INTEGER NOT NULL
) STRICT;

CREATE INDEX turns_conversation ON turns (conversation_id, id);
CREATE INDEX turns_at ON turns (at);
CREATE INDEX turns_status_at ON turns (status, at);

CREATE TABLE results (
	turn_id INTEGER NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
	benefit TEXT NOT NULL,
	doc     TEXT NOT NULL,
	clause  INTEGER NOT NULL,
	status  TEXT NOT NULL
		CHECK (status IN ('eligible', 'possible', 'ineligible', 'expired')),
	amount  TEXT NOT NULL
) STRICT;

CREATE INDEX results_turn ON results (turn_id);

-- One verdict per turn: a later click replaces an earlier one.
CREATE TABLE feedback (
	turn_id INTEGER PRIMARY KEY REFERENCES turns (id) ON DELETE CASCADE,
	helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
	at      INTEGER NOT NULL
) STRICT;

CREATE INDEX feedback_unhelpful_at ON feedback (at) WHERE helpful = 0;
