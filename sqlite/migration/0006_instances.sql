-- What lets several processes share the database safely.

-- A session's version counts its commits: a turn is committed only if the
-- session is still at the version the turn was taken from, so two turns of
-- one session taken at once by two processes cannot both start from the
-- same state. Sessions logged before count as version 0.
ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Facts about the database itself: the fingerprint of the key user ids are
-- hashed under, so that a process given another key is refused.
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
