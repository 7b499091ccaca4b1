-- Hotline operators, their signed-in sessions and every sign-in attempt.
-- Times are Unix milliseconds.

CREATE TABLE staff_accounts (
	name    TEXT PRIMARY KEY,
	hash    TEXT NOT NULL, -- bcrypt of the password
	created INTEGER NOT NULL
) STRICT;

-- The id is the SHA-256 of the cookie's token, so that a copy of the
-- database holds no session that works.
CREATE TABLE staff_sessions (
	id      TEXT PRIMARY KEY,
	name    TEXT NOT NULL REFERENCES staff_accounts (name) ON DELETE CASCADE,
	started INTEGER NOT NULL,
	seen    INTEGER NOT NULL,
	addr    TEXT NOT NULL
) STRICT;

CREATE INDEX staff_sessions_started ON staff_sessions (started);

-- Every attempt, kept as the audit of who signed in and as the count of
-- failures behind a lockout. The name is as typed, known or not.
CREATE TABLE staff_logins (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	at      INTEGER NOT NULL,
	name    TEXT NOT NULL,
	addr    TEXT NOT NULL,
	outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'locked'))
) STRICT;

CREATE INDEX staff_logins_name_at ON staff_logins (name, at);
CREATE INDEX staff_logins_addr_at ON staff_logins (addr, at);
