-- A verdict may be "superseded": a later document (the policy update
-- registry) changed or replaced the measure. SQLite cannot change a CHECK
-- constraint, so the table is rebuilt with its rows.

CREATE TABLE results_new (
	turn_id INTEGER NOT NULL REFERENCES turns (id) ON DELETE CASCADE,
	benefit TEXT NOT NULL,
	doc     TEXT NOT NULL,
	clause  INTEGER NOT NULL,
	status  TEXT NOT NULL
		CHECK (status IN ('eligible', 'possible', 'ineligible', 'expired', 'superseded')),
	amount  TEXT NOT NULL
) STRICT;

INSERT INTO results_new (turn_id, benefit, doc, clause, status, amount)
	SELECT turn_id, benefit, doc, clause, status, amount FROM results;

DROP TABLE results;
ALTER TABLE results_new RENAME TO results;
CREATE INDEX results_turn ON results (turn_id);
