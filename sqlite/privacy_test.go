package sqlite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"policybot/bot"
	"policybot/store/storetest"
)

// personal is personal data as users send it; none of it may reach the
// disk.
var personal = []string{
	"13812345678",
	"138-1234-5678",
	"１３９８７６５４３２１",
	"500103199003071239",
	"6222021234567890123",
	"zhang.san@example.com",
	"7788123456", // the raw Telegram user id
}

// canary is ordinary text committed beside the personal data: finding it
// proves the byte search sees what was written.
const canary = "canary-问题-2022"

// commitPersonal commits turns carrying each piece of personal data in the
// user text, the reply and the facts.
func commitPersonal(t *testing.T, db *DB) {
	t.Helper()
	ctx := storetest.Context(t)
	s := bot.SessionRecord{ID: "tg-7788", Channel: "telegram", UserID: "7788123456", State: []byte(`{"step":"contact"}`)}
	for _, p := range personal[:len(personal)-1] {
		tr := bot.Turn{
			UserID: "7788123456",
			In:     canary + " 我的联系方式是 " + p + " 谢谢",
			Out:    "已记录：" + p,
			Status: "answered",
			Facts:  map[string]any{"contact": p, "notes": []any{"见 " + p}},
		}
		if _, err := commitNext(ctx, db, s, tr); err != nil {
			t.Fatalf("CommitTurn: %v", err)
		}
	}
}

// assertNotOnDisk fails if any file of the database holds any of the
// strings, or if none holds the canary (canary by default).
func assertNotOnDisk(t *testing.T, path string, secrets []string, canaries ...string) {
	t.Helper()
	found := false
	want := canary
	if len(canaries) > 0 {
		want = canaries[0]
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found = found || bytes.Contains(b, []byte(want))
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s holds %q", filepath.Base(path+suffix), s)
			}
		}
	}
	if !found {
		t.Fatal("the canary is in no database file: the search proves nothing")
	}
}

// TestNoPersonalDataOnDisk searches the database files byte by byte after
// turns carrying personal data were committed, both after Close (WAL
// checkpointed into the main file) and while open (data still in the WAL).
func TestNoPersonalDataOnDisk(t *testing.T) {
	t.Run("closed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "log.db")
		db, err := Open(path, Config{UserKey: testKey})
		if err != nil {
			t.Fatal(err)
		}
		commitPersonal(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		assertNotOnDisk(t, path, personal)
	})
	t.Run("open", func(t *testing.T) {
		db, path := openTestDB(t, nil)
		commitPersonal(t, db)
		wal, err := os.Stat(path + "-wal")
		if err != nil || wal.Size() == 0 {
			t.Fatalf("expected the turns in the WAL: %v", err)
		}
		assertNotOnDisk(t, path, personal)
	})
}
