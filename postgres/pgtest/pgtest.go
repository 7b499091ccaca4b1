// Package pgtest gives tests a real PostgreSQL server: the one whose URL
// is in POLICYBOT_TEST_DATABASE_URL (CI starts one, .ci/postgres), or else
// a throw-away cluster it starts itself from the server binaries of
// Debian's postgresql package (initdb and pg_ctl, run as an unprivileged
// user, its socket in a temporary folder). With neither, a test that
// needs one fails: never skips, so a CI without PostgreSQL cannot pass.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the URL of a server the tests may
// create databases in (an account with CREATEDB).
const EnvURL = "POLICYBOT_TEST_DATABASE_URL"

// shared is the server of this test process, found or started once.
var shared struct {
	once    sync.Once
	url     string
	cluster *Cluster
	err     error
}

// server returns the URL of the shared server's maintenance database.
func server() (string, error) {
	shared.once.Do(func() {
		if u := os.Getenv(EnvURL); u != "" {
			shared.url = u
			return
		}
		shared.cluster, shared.err = Start()
		if shared.err == nil {
			shared.url = shared.cluster.URL("postgres")
		}
	})
	return shared.url, shared.err
}

// Main runs a package's tests (from its TestMain) and stops the cluster
// they started, if any.
func Main(m *testing.M) int {
	code := m.Run()
	if shared.cluster != nil {
		if err := shared.cluster.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
	return code
}

// Database creates a new, empty database on the shared server and returns
// its URL; it is dropped when the test ends.
func Database(t testing.TB) string {
	t.Helper()
	admin, err := server()
	if err != nil {
		t.Fatalf("no PostgreSQL for the tests: set %s, or install the server (apt-get install postgresql): %v", EnvURL, err)
	}
	return NewDatabase(t, admin)
}

// NewDatabase creates a new, empty database on the server of admin (a URL
// or key=value string) and returns its URL; it is dropped when the test
// ends.
func NewDatabase(t testing.TB, admin string) string {
	t.Helper()
	name := "t_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to the test server: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("connect to drop database %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := WithDatabase(admin, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// WithDatabase returns the connection string s naming database name
// instead of its own.
func WithDatabase(s, name string) (string, error) {
	if strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://") {
		u, err := url.Parse(s)
		if err != nil {
			return "", fmt.Errorf("parse test server URL: %w", err)
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	return s + " dbname=" + name, nil // a later key overrides an earlier one
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
