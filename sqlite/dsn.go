package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"
)

// busyTimeout is how long a connection waits for a lock held by another
// process (a backup, the sqlite3 shell, a second policybot) before failing;
// _busy_timeout below says the same in milliseconds. Within this process
// writers queue for the single writer connection instead.
const busyTimeout = 10 * time.Second

// writeOptions configure the writer connection. The driver lowers
// synchronous to NORMAL whenever _journal_mode=WAL is given, unless
// _synchronous is set too; FULL makes each commit fsync the WAL, so a turn
// whose reply was sent survives a power cut, not only a crash, as far as
// the disk honours fsync.
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
	pool, err := sql.Open("sqlite3", u.String()) // registered by go-sqlite3
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	if err := connect(pool); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// connect opens a first connection. Connecting runs PRAGMA journal_mode,
// and two connections turning a new file to WAL at once can fail with
// SQLITE_BUSY without the busy handler being asked (SQLite's way out of a
// deadlock), so that is retried for as long as the busy timeout.
func connect(pool *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := pool.Ping()
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return err
		}
		time.Sleep(wait)
	}
}
