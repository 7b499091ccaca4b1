package storetest

import (
	"reflect"
	"testing"
	"time"

	"policybot/bot"
	"policybot/store"
)

// seedReport commits a small day of traffic across channels, half of it
// at a second instance, and returns the ids of its turns in order.
func seedReport(t *testing.T, open Opener, clk *Clock) (store.Store, []int64) {
	t.Helper()
	ctx := Context(t)
	dbs := []store.Store{mustOpen(t, open, Key, clk.Now), mustOpen(t, open, Key, clk.Now)}
	eligible := []bot.Verdict{
		{Benefit: "一次性吸纳就业补贴", Doc: "cq-2022", Clause: 3, Status: "eligible", Amount: "2000元/人"},
		{Benefit: "社保补贴", Doc: "cq-2022", Clause: 5, Status: "possible", Amount: ""},
	}
	turns := []struct {
		session, channel, in, status string
		results                      []bot.Verdict
		advance                      time.Duration
	}{
		{"a", "web", "高校毕业生有什么补贴？", "answered", nil, 0},
		{"b", "telegram", "高校毕业生有什么补贴？", "answered", nil, time.Minute},
		{"b", "telegram", "我电话13812345678，能办吗", "no_answer", nil, time.Minute},
		{"c", "web", "我电话13987654321，能办吗", "no_answer", nil, time.Minute},
		{"c", "web", "招了3个人", "result", eligible, time.Minute},
		// The next day, by Chongqing time (the clock starts at 09:00).
		{"a", "web", "高校毕业生有什么补贴？", "asking", nil, 15 * time.Hour},
	}
	var ids []int64
	for i, tr := range turns {
		clk.Advance(tr.advance)
		s := bot.SessionRecord{ID: tr.session, Channel: tr.channel, UserID: "u-" + tr.session}
		ids = append(ids, mustCommit(t, dbs[i%2], s, bot.Turn{In: tr.in, Out: "…", Status: tr.status, Results: tr.results}))
	}
	if err := dbs[0].RecordFeedback(ctx, turns[0].session, ids[0], false); err != nil {
		t.Fatal(err)
	}
	if err := dbs[1].RecordFeedback(ctx, turns[4].session, ids[4], true); err != nil {
		t.Fatal(err)
	}
	return dbs[0], ids
}

func testRecentConversations(t *testing.T, open Opener) {
	clk := NewClock()
	start := clk.Now()
	db, _ := seedReport(t, open, clk)
	got, err := db.RecentConversations(Context(t), 2)
	if err != nil {
		t.Fatalf("RecentConversations: %v", err)
	}
	want := []bot.ConversationSummary{
		{ID: "a", Channel: "web", Started: start, Updated: clk.Now(), Turns: 2,
			LastIn: "高校毕业生有什么补贴？", LastOut: "…", Status: "asking", Unhelpful: 1},
		{ID: "c", Channel: "web", Started: start.Add(3 * time.Minute), Updated: start.Add(4 * time.Minute), Turns: 2,
			LastIn: "招了3个人", LastOut: "…", Status: "result", Helpful: 1,
			Results: []bot.Verdict{
				{Benefit: "一次性吸纳就业补贴", Doc: "cq-2022", Clause: 3, Status: "eligible", Amount: "2000元/人"},
				{Benefit: "社保补贴", Doc: "cq-2022", Clause: 5, Status: "possible", Amount: ""},
			}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d conversations, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		g, w := got[i], want[i]
		if !g.Started.Equal(w.Started) || !g.Updated.Equal(w.Updated) {
			t.Errorf("conversation %s: times %v, %v; want %v, %v", w.ID, g.Started, g.Updated, w.Started, w.Updated)
		}
		g.Started, g.Updated, w.Started, w.Updated = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("conversation %d\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// testTopQuestions: questions are counted after redaction, so the two
// "电话…能办吗" count as one.
func testTopQuestions(t *testing.T, open Opener) {
	clk := NewClock()
	start := clk.Now()
	db, _ := seedReport(t, open, clk)
	got, err := db.TopQuestions(Context(t), start, 2)
	if err != nil {
		t.Fatalf("TopQuestions: %v", err)
	}
	want := []bot.FrequentQuestion{
		{Text: "高校毕业生有什么补贴？", Count: 3, NoAnswer: 0, Last: clk.Now()},
		{Text: "我电话[手机号]，能办吗", Count: 2, NoAnswer: 2, Last: start.Add(3 * time.Minute)},
	}
	if len(got) != len(want) {
		t.Fatalf("TopQuestions = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].Text != want[i].Text || got[i].Count != want[i].Count ||
			got[i].NoAnswer != want[i].NoAnswer || !got[i].Last.Equal(want[i].Last) {
			t.Errorf("question %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	later, err := db.TopQuestions(Context(t), start.Add(10*time.Hour), 10)
	if err != nil || len(later) != 1 || later[0].Count != 1 {
		t.Errorf("TopQuestions since the next day = %+v, %v; want the one question asked then", later, err)
	}
}

// testGaps: unanswered and unhelpful turns are listed, newest first.
func testGaps(t *testing.T, open Opener) {
	clk := NewClock()
	start := clk.Now()
	db, ids := seedReport(t, open, clk)
	got, err := db.Gaps(Context(t), start, 10)
	if err != nil {
		t.Fatalf("Gaps: %v", err)
	}
	want := []bot.Gap{
		{TurnID: ids[3], Conversation: "c", Channel: "web", At: start.Add(3 * time.Minute), In: "我电话[手机号]，能办吗", Out: "…", Status: "no_answer"},
		{TurnID: ids[2], Conversation: "b", Channel: "telegram", At: start.Add(2 * time.Minute), In: "我电话[手机号]，能办吗", Out: "…", Status: "no_answer"},
		{TurnID: ids[0], Conversation: "a", Channel: "web", At: start, In: "高校毕业生有什么补贴？", Out: "…", Status: "answered", Unhelpful: true},
	}
	if len(got) != len(want) {
		t.Fatalf("Gaps = %+v, want %+v", got, want)
	}
	for i := range want {
		g := got[i]
		if !g.At.Equal(want[i].At) {
			t.Errorf("gap %d at %v, want %v", i, g.At, want[i].At)
		}
		g.At = want[i].At
		if g != want[i] {
			t.Errorf("gap %d\n got %+v\nwant %+v", i, g, want[i])
		}
	}
	if limited, err := db.Gaps(Context(t), start, 1); err != nil || len(limited) != 1 {
		t.Errorf("Gaps limit 1 = %d gaps, %v", len(limited), err)
	}
}

// testVolumes: daily counts per channel, days cut in Chongqing time.
func testVolumes(t *testing.T, open Opener) {
	clk := NewClock()
	start := clk.Now()
	db, _ := seedReport(t, open, clk)
	got, err := db.Volumes(Context(t), start, Shanghai)
	if err != nil {
		t.Fatalf("Volumes: %v", err)
	}
	want := []bot.Volume{
		{Day: "2022-06-02", Channel: "telegram", Conversations: 1, Turns: 2},
		{Day: "2022-06-02", Channel: "web", Conversations: 2, Turns: 3},
		{Day: "2022-06-03", Channel: "web", Conversations: 1, Turns: 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Volumes =\n%+v\nwant\n%+v", got, want)
	}
}
