package sqlite

import (
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
)

// writeOptions configure the writer connection. The busy timeout (10 s) is
// how long it waits for a lock held by another process, such as a backup or
// the sqlite3 shell; within this process writers queue for the single
// writer connection instead. The driver lowers
// synchronous to NORMAL whenever _journal_mode=WAL is given, unless
// _synchronous is set too; FULL makes each commit fsync the WAL, so a turn
// whose reply was sent survives a power cut, not only a crash.
const writeOptions = "_txlock=immediate" +
	"&_busy_timeout=10000" +
	"&_journal_mode=WAL" +
	"&_synchronous=FULL" +
	"&_foreign_keys=1" +
	"&_secure_delete=1"

// readOptions configure the read-only connections. mode=ro makes SQLite
// refuse writes; query_only guards the same at the statement level.
const readOptions = "mode=ro" +
	"&_busy_timeout=10000" +
	"&_foreign_keys=1" +
	"&_query_only=1"

// openPool opens a pool of at most conns connections to the file at path.
func openPool(path, options string, conns int) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("resolve path: %w", err)
	}
	// A file: URI, with the path escaped, so that mode=ro is honoured and a
	// '?' or '#' in a directory name cannot be read as options.
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs), RawQuery: options}
	pool, err := sql.Open("sqlite3", u.String())
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	if err := pool.Ping(); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}
