package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "github.com/mattn/go-sqlite3"    // registers "sqlite3"
)

// audited is what the log holds of the acknowledged turns.
type audited struct {
	acknowledged int
	found        int
	lost         int // acknowledged, not in the log
	differ       int // in the log with another session, status or reply
	inLog        int // turns in the log, acknowledged or not
}

// drivers maps a URL scheme to the database/sql driver that reads it; a
// store on another engine links its driver and adds its scheme here.
var drivers = map[string]string{"postgres": "pgx", "postgresql": "pgx"}

// openLog opens the log at dsn: a SQLite file path, or a URL whose scheme
// names its driver. A SQLite file is opened for writing, so that a WAL the
// kill left behind is recovered as the server would.
func openLog(dsn string) (*sql.DB, error) {
	scheme, _, found := strings.Cut(dsn, "://")
	if !found {
		u := url.URL{Scheme: "file", Path: dsn, RawQuery: "_busy_timeout=10000"}
		return sql.Open("sqlite3", u.String())
	}
	driver, ok := drivers[scheme]
	if !ok {
		return nil, fmt.Errorf("-db %s: no database/sql driver for %q is linked into policyload", dsn, scheme)
	}
	return sql.Open(driver, dsn)
}

// auditLog looks up every acknowledged turn in the log.
func auditLog(ctx context.Context, dsn string, acks []ack) (audited, error) {
	db, err := openLog(dsn)
	if err != nil {
		return audited{}, err
	}
	defer db.Close()
	type logged struct {
		session, status string
		reply           [sha256.Size]byte
	}
	rows, err := db.QueryContext(ctx, `SELECT id, conversation_id, status, text_out FROM turns`)
	if err != nil {
		return audited{}, fmt.Errorf("read the log at %s: %w", dsn, err)
	}
	defer rows.Close()
	log := map[int64]logged{}
	for rows.Next() {
		var id int64
		var l logged
		var out string
		if err := rows.Scan(&id, &l.session, &l.status, &out); err != nil {
			return audited{}, fmt.Errorf("read the log at %s: %w", dsn, err)
		}
		l.reply = sha256.Sum256([]byte(out))
		log[id] = l
	}
	if err := rows.Err(); err != nil {
		return audited{}, fmt.Errorf("read the log at %s: %w", dsn, err)
	}
	a := audited{acknowledged: len(acks), inLog: len(log)}
	for _, k := range acks {
		l, ok := log[k.turn]
		switch {
		case !ok:
			a.lost++
		case l.session != k.session || l.status != k.status || l.reply != k.reply:
			a.differ++
		default:
			a.found++
		}
	}
	return a, nil
}
