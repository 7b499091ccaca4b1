package postgres

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// TestOpenRefusesBadSettings: a URL libpq does not read, bad pool sizes
// and a short key are refused with a message that repeats no password.
func TestOpenRefusesBadSettings(t *testing.T) {
	key := bytes.Repeat([]byte{1}, 32)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for name, cfg := range map[string]Config{
		"bad URL":            {URL: "postgres://policybot:s3cret@db:notaport/x", UserKey: key},
		"bad key=value":      {URL: "host=db password=s3cret sslmode=sometimes", UserKey: key},
		"short key":          {URL: "postgres://db/x", UserKey: []byte("short")},
		"no connections":     {URL: "postgres://db/x", UserKey: key, MaxConns: -1},
		"more kept than max": {URL: "postgres://db/x", UserKey: key, MaxConns: 2, MinConns: 3},
	} {
		_, err := Open(ctx, cfg)
		if err == nil {
			t.Errorf("%s: opened", name)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the message repeats the password: %v", name, err)
		}
	}
}

// TestUnreachableServer: with no server at the address, Open fails at
// once with the cause, and an error of a statement on a broken connection
// is marked unavailable.
func TestUnreachableServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir() // no server's socket here
	_, err := Open(ctx, Config{URL: "host=" + dir + " user=x dbname=x", UserKey: bytes.Repeat([]byte{1}, 32)})
	if err == nil || !strings.Contains(err.Error(), "cannot connect") {
		t.Errorf("Open with no server: %v, want cannot connect", err)
	}
	if !errors.Is(classify(errors.Join(errors.New("read"), context.DeadlineExceeded)), bot.ErrUnavailable) {
		t.Error("a timed-out statement is not marked unavailable")
	}
	if errors.Is(classify(context.Canceled), bot.ErrUnavailable) {
		t.Error("a request the client gave up is marked unavailable")
	}
}
