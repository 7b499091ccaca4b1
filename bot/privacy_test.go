package bot_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"policybot/bot"
	"policybot/redact/redacttest"
)

// TestNoPersonalDataOnDisk is redaction as a property of the whole turn:
// every format of redacttest, each in one of its sentences, is sent to the
// engine as a message of its own conversation, and none of its digits or
// names may then be found in the bytes of the database, its WAL or its
// shared-memory file, wherever the engine put it (the turn's text, the
// reply, the facts, the session's state).
func TestNoPersonalDataOnDisk(t *testing.T) {
	e := newEngine(t, today)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cases := redacttest.Cases()
	formats := len(redacttest.Formats())
	var sent []redacttest.Case
	// Case i*per+j is format i in context j: walking the contexts with
	// the formats sends each format once, in a different context each.
	per := len(cases) / formats
	for i := range formats {
		c := cases[i*per+(i*7)%per]
		if _, err := e.Handle(ctx, bot.Message{Channel: "web", Text: c.Text}); err != nil {
			t.Fatalf("%s (%s): %v", c.Kind, c.Format, err)
		}
		sent = append(sent, c)
	}
	canary := "canary-问题-2022"
	if _, err := e.Handle(ctx, bot.Message{Channel: "web", Text: canary + " 补贴"}); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(e.path + suffix)
		if err != nil {
			t.Fatalf("read %s: %v", filepath.Base(e.path+suffix), err)
		}
		found = found || bytes.Contains(b, []byte(canary))
		for _, c := range sent {
			for _, s := range c.Secrets {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds %q of %s (%s), sent as %q", filepath.Base(e.path+suffix), s, c.Kind, c.Format, c.Text)
				}
			}
		}
	}
	if !found {
		t.Fatal("the canary is in no database file: the search proves nothing")
	}
}
