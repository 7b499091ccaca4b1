package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store/storetest"
)

// storedTurn is a turn row as read back with SQL.
type storedTurn struct {
	conv, in, out, status, clauses, facts, sources string
	at, latency                                    int64
}

// readTurn reads turn id straight from the table.
func readTurn(t *testing.T, db *DB, id int64) storedTurn {
	t.Helper()
	var r storedTurn
	err := db.read.QueryRowContext(storetest.Context(t), `
		SELECT conversation_id, text_in, text_out, status, clauses, facts, fact_sources, at, latency_ms
		FROM turns WHERE id = ?`, id,
	).Scan(&r.conv, &r.in, &r.out, &r.status, &r.clauses, &r.facts, &r.sources, &r.at, &r.latency)
	if err != nil {
		t.Fatalf("read turn %d: %v", id, err)
	}
	return r
}

// TestCommitTurnStoresRow checks every column a turn is stored in.
func TestCommitTurnStoresRow(t *testing.T) {
	clk := storetest.NewClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)

	s := bot.SessionRecord{ID: "tg-1", Channel: "telegram", UserID: "123456789", State: []byte(`{}`)}
	tr := bot.Turn{
		In:          "我招了3个人，电话13812345678",
		Out:         "您可能符合条件，补贴2000元/人。",
		Status:      "result",
		Clauses:     []bot.ClauseRef{{Doc: "cq-2022", Clause: 3}, {Doc: "cq-2022", Clause: 5}},
		Facts:       map[string]any{"hires": 3, "contact": "手机 139 8765 4321", "small": true},
		FactSources: map[string]string{"hires": "text", "small": "button"},
		Results: []bot.Verdict{
			{Benefit: "一次性吸纳就业补贴", Doc: "cq-2022", Clause: 3, Status: "eligible", Amount: "2000元/人"},
			{Benefit: "社保补贴", Doc: "cq-2022", Clause: 5, Status: "possible", Amount: ""},
		},
		Latency: 1500 * time.Millisecond,
	}
	id, err := commitNext(ctx, db, s, tr)
	if err != nil {
		t.Fatalf("CommitTurn: %v", err)
	}
	got := readTurn(t, db, id)
	want := storedTurn{
		conv:    "tg-1",
		in:      "我招了3个人，电话[手机号]",
		out:     tr.Out,
		status:  "result",
		clauses: `[{"doc":"cq-2022","clause":3},{"doc":"cq-2022","clause":5}]`,
		facts:   `{"contact":"手机 [手机号]","hires":3,"small":true}`,
		sources: `{"hires":"text","small":"button"}`,
		at:      clk.Now().UnixMilli(),
		latency: 1500,
	}
	if got != want {
		t.Errorf("stored turn\n got %+v\nwant %+v", got, want)
	}

	var hash string
	if err := db.read.QueryRowContext(ctx, `SELECT user_hash FROM conversations WHERE id = 'tg-1'`).Scan(&hash); err != nil {
		t.Fatalf("read conversation: %v", err)
	}
	mac := hmac.New(sha256.New, testKey)
	mac.Write([]byte("telegram:123456789"))
	if want := hex.EncodeToString(mac.Sum(nil)); hash != want {
		t.Errorf("user_hash = %s, want %s", hash, want)
	}

	rows, err := db.read.QueryContext(ctx, `SELECT benefit, doc, clause, status, amount FROM results WHERE turn_id = ? ORDER BY rowid`, id)
	if err != nil {
		t.Fatalf("read results: %v", err)
	}
	defer rows.Close()
	var results []bot.Verdict
	for rows.Next() {
		var v bot.Verdict
		if err := rows.Scan(&v.Benefit, &v.Doc, &v.Clause, &v.Status, &v.Amount); err != nil {
			t.Fatal(err)
		}
		results = append(results, v)
	}
	if len(results) != 2 || results[0] != tr.Results[0] || results[1] != tr.Results[1] {
		t.Errorf("results = %+v, want %+v", results, tr.Results)
	}
}

// TestCommitTurnKeepsFirstSession checks that later commits update a
// session's time and state but not who it belongs to or when it started.
func TestCommitTurnKeepsFirstSession(t *testing.T) {
	clk := storetest.NewClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	s, tr := storetest.SampleTurn("s1", "你好")
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatal(err)
	}
	first := clk.Now()
	clk.Advance(time.Minute)
	s.Channel, s.UserID, s.Started = "api", "someone-else", clk.Now()
	tr.Channel, tr.UserID = "api", "someone-else"
	if _, err := commitNext(ctx, db, s, tr); err != nil {
		t.Fatal(err)
	}
	var channel, hash string
	var started, updated, turns int64
	err := db.read.QueryRowContext(ctx, `
		SELECT channel, user_hash, started, updated, (SELECT count(*) FROM turns) FROM conversations`,
	).Scan(&channel, &hash, &started, &updated, &turns)
	if err != nil {
		t.Fatal(err)
	}
	if channel != "web" || hash != db.userHash("web", "visitor-42") ||
		started != first.UnixMilli() || updated != clk.Now().UnixMilli() || turns != 2 {
		t.Errorf("conversation = %s %s %d %d, %d turns; want the first channel, user and start, the last update, 2 turns",
			channel, hash, started, updated, turns)
	}
}

// TestCommitTurnRejects checks that a bad turn is refused whole: nothing of
// it, not even the session, is saved.
func TestCommitTurnRejects(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx := storetest.Context(t)
	cases := []struct {
		name   string
		change func(*bot.SessionRecord, *bot.Turn)
		want   string
	}{
		{"no session id", func(s *bot.SessionRecord, _ *bot.Turn) { s.ID = "" }, "no id"},
		{"other session", func(_ *bot.SessionRecord, tr *bot.Turn) { tr.Session = "s2" }, "belongs to session s2"},
		{"unknown status", func(_ *bot.SessionRecord, tr *bot.Turn) { tr.Status = "maybe" }, "CHECK constraint"},
		{"unknown verdict", func(_ *bot.SessionRecord, tr *bot.Turn) {
			tr.Results = []bot.Verdict{{Benefit: "x", Status: "eligible"}, {Benefit: "y", Status: "perhaps"}}
		}, `insert result "y"`},
		{"facts not JSON", func(_ *bot.SessionRecord, tr *bot.Turn) { tr.Facts = map[string]any{"f": func() {}} }, "encode facts"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, tr := storetest.SampleTurn("s1", "你好")
			c.change(&s, &tr)
			_, err := commitNext(ctx, db, s, tr)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "commit turn of session") {
				t.Fatalf("CommitTurn error = %v, want one mentioning %q", err, c.want)
			}
			var n int
			if err := db.read.QueryRowContext(ctx, `
				SELECT (SELECT count(*) FROM conversations) + (SELECT count(*) FROM turns) + (SELECT count(*) FROM results)`,
			).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d rows left behind by a failed commit", n)
			}
		})
	}
}

// TestCommitTurnCancelled checks that a cancelled context stops a commit.
func TestCommitTurnCancelled(t *testing.T) {
	db, _ := openTestDB(t, nil)
	ctx, cancel := context.WithCancel(storetest.Context(t))
	cancel()
	s, tr := storetest.SampleTurn("s1", "你好")
	if _, err := commitNext(ctx, db, s, tr); !errors.Is(err, context.Canceled) {
		t.Errorf("CommitTurn error = %v, want context.Canceled", err)
	}
}
