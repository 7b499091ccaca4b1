-- A row that /healthz rewrites to prove a commit reaches the disk: a
-- rolled-back write cannot tell a full disk from a healthy one.
CREATE TABLE health (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	probe INTEGER NOT NULL -- the time of the last probe, Unix milliseconds
) STRICT;

-- Sign-in names are kept only when they are an account's: what people type
-- into the name field may be a phone number or a password. Rows recorded
-- before lose names that match no account; they count as one unknown name.
UPDATE staff_logins SET name = '#' WHERE name NOT IN (SELECT name FROM staff_accounts);
