package telegram

import (
	"context"
	"database/sql"
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"policybot/bot"
)

// waitUntil polls cond until it holds, failing the test when ctx ends.
func waitUntil(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// TestStartSetsCommands: at start the channel learns who it is, clears any
// webhook so long polling works, and sets the five commands, in Chinese
// and in English.
func TestStartSetsCommands(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	w.start()
	w.api.waitFor(ctx, "two command menus", func() bool { return len(w.api.servedLocked("setMyCommands")) == 2 })
	w.api.waitFor(ctx, "a long poll", func() bool {
		return len(w.api.servedLocked("getUpdates")) > 0 || w.api.attemptsLocked("getUpdates") > 0
	})

	want := []string{"start", "help", "check", "reset", "human"}
	for i, c := range w.api.served("setMyCommands") {
		var cmds []models.BotCommand
		if err := json.Unmarshal([]byte(c.params["commands"]), &cmds); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, cmd := range cmds {
			names = append(names, cmd.Command)
		}
		if !slices.Equal(names, want) {
			t.Errorf("commands %v, want %v", names, want)
		}
		lang := []string{"", "en"}[i]
		if c.params["language_code"] != lang {
			t.Errorf("menu %d for language %q, want %q", i, c.params["language_code"], lang)
		}
		if i == 0 && cmds[2].Description != "看看我能享受哪些政策" {
			t.Errorf("/check is described as %q", cmds[2].Description)
		}
	}
	if n := w.api.attempts("getMe"); n != 1 {
		t.Errorf("getMe called %d times, want 1", n)
	}
	if n := len(w.api.served("deleteWebhook")); n != 1 {
		t.Errorf("deleteWebhook called %d times, want 1", n)
	}
	for _, c := range w.api.served("getUpdates") {
		if c.params["timeout"] != "1" || c.params["allowed_updates"] != `["message","callback_query"]` {
			t.Errorf("getUpdates with %v, want timeout 1 and messages and callback queries only", c.params)
		}
	}
}

// TestDialogueByButtons: a check started with /check goes on by buttons; a
// press is answered, marks the question with the choice and removes its
// keyboard; the old keyboard pressed again gets a polite word and changes
// nothing; a duplicate update gets no second reply.
func TestDialogueByButtons(t *testing.T) {
	ctx := testContext(t, 60*time.Second)
	w := newWorld(t)
	ch := w.start()
	chat := wang.chat()

	w.api.push(says(1001, wang, chat, "/start"))
	sent := w.api.waitSent(ctx, 1)
	if !strings.Contains(sent[0].Text, "就业政策助手") {
		t.Errorf("/start answered %q, want the greeting", sent[0].Text)
	}

	check := says(1002, wang, chat, "/check")
	w.api.push(check)
	sent = w.api.waitSent(ctx, 2)
	q := sent[1]
	if !strings.Contains(q.Text, "请问您是以什么身份咨询？") {
		t.Fatalf("/check answered %q, want the first question", q.Text)
	}
	labels := buttonLabels(q)
	if want := []string{"用人单位（企业、社会组织等）", "个人（求职者、劳动者、创业者）", "人力资源服务机构", "技能人才培训平台（培训基地、大师工作室等）", "不确定，跳过"}; !slices.Equal(labels, want) {
		t.Errorf("buttons %q, want %q", labels, want)
	}
	for _, row := range q.ReplyMarkup.InlineKeyboard {
		if d := row[0].CallbackData; len(d) > maxCallbackData {
			t.Errorf("callback data %q is %d bytes", d, len(d))
		}
	}

	w.api.push(press(1003, wang, q, 1))
	sent = w.api.waitSent(ctx, 3)
	acks := w.api.served("answerCallbackQuery")
	if len(acks) != 1 || acks[0].params["callback_query_id"] != "cq-1003" || acks[0].params["text"] != "" {
		t.Errorf("button answered with %v, want one plain answer to cq-1003", acks)
	}
	marked := sent[1] // as Telegram keeps it now
	if !strings.HasSuffix(marked.Text, "请问您是以什么身份咨询？\n\n✓ 个人（求职者、劳动者、创业者）") || marked.ReplyMarkup != nil {
		t.Errorf("question after the press: %q, keyboard %v; want the choice marked and no keyboard", marked.Text, marked.ReplyMarkup)
	}
	next := sent[2]
	if next.ReplyMarkup == nil || next.Text == q.Text {
		t.Fatalf("after the press: %q; want the next question with buttons", next.Text)
	}

	// The first question's keyboard once more: stale.
	w.api.push(press(1004, wang, q, 0))
	w.api.waitFor(ctx, "the stale press answered", func() bool { return len(w.api.servedLocked("answerCallbackQuery")) == 2 })
	if got := w.api.served("answerCallbackQuery")[1].params["text"]; got != "这个按钮已失效。请回答最新的问题，或发送 /check 重新开始。" {
		t.Errorf("stale press answered %q", got)
	}

	// The /check update delivered again.
	w.api.redeliver(check)
	waitUntil(t, ctx, "the duplicate counted", func() bool { return ch.metric(t, "policybot_telegram_duplicate_updates_total") == 1 })

	// A last message, so that whatever the stale press or the duplicate
	// might have sent would have come before its reply.
	w.api.push(says(1005, wang, chat, "谢谢"))
	sent = w.api.waitSent(ctx, 4)
	if len(sent) != 4 {
		t.Errorf("%d messages sent, want 4:\n%s", len(sent), w.api.trace())
	}

	session, _, err := w.db.TelegramChat(ctx, "2000001")
	if err != nil || session == "" {
		t.Fatalf("no session kept for the chat: %v", err)
	}
	if logged := w.logged(t, session); !slices.Contains(logged, `[option] individual {"role":"individual"} {"role":"button"}`) {
		t.Errorf("the log of the session holds %q; want the press, its fact and source", logged)
	}
	if got := ch.metric(t, "policybot_telegram_updates_total", "kind", "callback"); got != 2 {
		t.Errorf("%v callbacks counted, want 2", got)
	}
}

// buttonLabels lists a message's buttons.
func buttonLabels(m *models.Message) []string {
	var out []string
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				out = append(out, b.Text)
			}
		}
	}
	return out
}

// TestRedeliveryAfterRestart: an update answered, then delivered again to
// a channel restarted on the same SQLite file, gets no second reply; the
// conversation goes on in the same session.
func TestRedeliveryAfterRestart(t *testing.T) {
	ctx := testContext(t, 60*time.Second)
	w := newWorld(t)
	first := w.start()
	chat := wang.chat()
	asked := says(2001, wang, chat, "稳岗返还的比例是多少？")
	w.api.push(asked)
	sent := w.api.waitSent(ctx, 1)
	if !strings.Contains(sent[0].Text, "50%") {
		t.Fatalf("answered %q, want the 50%% rate", sent[0].Text)
	}
	session, _, err := w.db.TelegramChat(ctx, "2000001")
	if err != nil || session == "" {
		t.Fatalf("no session kept for the chat: %v", err)
	}

	first.stop(t)
	w.reopen()
	second := w.start()
	// The confirmation never reached Telegram: it delivers the update
	// again, then a new one.
	w.api.push(asked, says(2002, wang, chat, "大型企业返还比例呢？"))
	sent = w.api.waitSent(ctx, 2)
	waitUntil(t, ctx, "the redelivery counted", func() bool {
		return second.metric(t, "policybot_telegram_duplicate_updates_total") == 1
	})
	if len(sent) != 2 || sent[1].ReplyToMessage != nil && sent[1].ReplyToMessage.ID == asked.Message.ID {
		t.Fatalf("%d messages sent after the restart, want the first answer and one to the new question:\n%s", len(sent), w.api.trace())
	}
	if again, _, _ := w.db.TelegramChat(ctx, "2000001"); again != session {
		t.Errorf("after the restart the chat is in session %s, want %s", again, session)
	}
	if n := len(w.logged(t, session)); n != 2 {
		t.Errorf("the log holds %d turns of the session, want 2", n)
	}
}

// logged lists the turns logged for a session, read from the file as an
// auditor would: what came in, the facts learnt and their sources.
func (w *world) logged(t *testing.T, session string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+w.path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT text_in, facts, fact_sources FROM turns WHERE conversation_id = ? ORDER BY id`, session)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var in, facts, sources string
		if err := rows.Scan(&in, &facts, &sources); err != nil {
			t.Fatal(err)
		}
		out = append(out, in+" "+facts+" "+sources)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestScriptIsText: what a person types is never read as markup, and every
// message sent is valid Telegram HTML (the loopback server refuses any
// other, as Telegram does).
func TestScriptIsText(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	w.start()
	w.api.push(says(3001, li, li.chat(), `<script>alert("x")</script> 招应届生有什么补贴？`))
	w.api.waitSent(ctx, 1)
	call := w.api.served("sendMessage")[0]
	if call.params["parse_mode"] != "HTML" || strings.Contains(strings.ToLower(call.params["text"]), "<script") {
		t.Errorf("sent %q with parse mode %q", call.params["text"], call.params["parse_mode"])
	}
	if !strings.Contains(call.params["text"], "<b>") {
		t.Errorf("no figure in bold in %q", call.params["text"])
	}
	if call.params["link_preview_options"] != `{"is_disabled":true}` {
		t.Errorf("link previews: %s", call.params["link_preview_options"])
	}
}

// TestLongResultSplit: an eligibility result longer than a message is sent
// in parts under 4096 characters, split between lines, nothing lost, the
// keyboard gone; numbers and names of benefits run on across parts.
func TestLongResultSplit(t *testing.T) {
	ctx := testContext(t, 90*time.Second)
	w := newWorld(t)
	w.start()
	chat := alice.chat()
	w.api.push(says(4001, alice, chat, "/check"))
	sent := w.api.waitSent(ctx, 1)
	id := int64(4002)
	w.api.push(press(id, alice, sent[0], 1)) // an individual
	for range 12 {
		sent = w.api.waitSent(ctx, len(sent)+1)
		last := sent[len(sent)-1]
		if last.ReplyMarkup == nil {
			break
		}
		id++
		w.api.push(press(id, alice, last, len(last.ReplyMarkup.InlineKeyboard)-1)) // skip
	}
	// Wait for every part: the result ends with the reminder of the date.
	w.api.waitFor(ctx, "the whole result", func() bool {
		calls := w.api.servedLocked("sendMessage")
		return strings.Contains(calls[len(calls)-1].params["text"], "Based on the notice issued on 2 June 2022")
	})
	sent = w.api.sent()
	var parts []*models.Message
	for i := len(sent) - 1; i >= 0 && sent[i].ReplyMarkup == nil && !strings.Contains(sent[i].Text, "✓"); i-- {
		parts = append([]*models.Message{sent[i]}, parts...)
	}
	if len(parts) < 2 {
		t.Fatalf("the result came in %d message(s), want it split", len(parts))
	}
	for i, c := range w.api.served("sendMessage") {
		if n := units(c.params["text"]); n > messageLimit {
			t.Errorf("message %d is %d characters of HTML", i, n)
		}
	}

	// The same dialogue straight to the engine gives the text the parts
	// must add up to.
	want := w.resultText(t, ctx)
	var got []string
	for _, p := range parts {
		if p.Text != strings.Trim(p.Text, "\n") || strings.HasPrefix(p.Text, " ") {
			t.Errorf("part begins or ends with blank space, or goes on with an item: %q…", p.Text[:40])
		}
		got = append(got, p.Text)
	}
	if g, w := noBlank(strings.Join(got, "\n")), noBlank(strings.NewReplacer("【", "", "】", "").Replace(want)); g != w {
		t.Errorf("parts add up to\n%s\nwant\n%s", g, w)
	}

	// Numbers run on, and each numbered name is bold.
	numberedLine := regexp.MustCompile(`(?m)^(\d+)\. (.+)$`)
	n := 0
	for _, p := range parts {
		for _, m := range numberedLine.FindAllStringSubmatchIndex(p.Text, -1) {
			n++
			if got, _ := strconv.Atoi(p.Text[m[2]:m[3]]); got != n {
				t.Errorf("benefit numbered %d, want %d", got, n)
			}
			if !boldAt(p, units(p.Text[:m[4]]), units(p.Text[m[4]:m[5]])) {
				t.Errorf("benefit %q is not bold", p.Text[m[4]:m[5]])
			}
		}
	}
	if n < 20 {
		t.Errorf("%d benefits listed, want the long list", n)
	}
}

// resultText runs the dialogue of TestLongResultSplit on the engine alone.
func (w *world) resultText(t *testing.T, ctx context.Context) string {
	t.Helper()
	m := bot.Message{Channel: "test", Text: "check my eligibility"}
	for range 12 {
		r, err := w.engine.Handle(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if r.Question == nil {
			if slices.ContainsFunc(r.Suggestions, func(o bot.Option) bool { return o.Value == bot.OptionAll }) {
				m = bot.Message{Channel: "test", Session: r.Session, Option: bot.OptionAll} // every verdict, as the button shows
				continue
			}
			return r.Reply
		}
		m = bot.Message{Channel: "test", Session: r.Session, Option: bot.OptionSkip}
		if r.Question.Fact == "role" {
			m.Option = r.Question.Options[1].Value
		}
	}
	t.Fatal("no result after 12 turns")
	return ""
}

func noBlank(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// boldAt reports whether a bold entity covers the given stretch of text.
func boldAt(m *models.Message, offset, length int) bool {
	for _, e := range m.Entities {
		if e.Type == models.MessageEntityTypeBold && e.Offset <= offset && offset+length <= e.Offset+e.Length {
			return true
		}
	}
	return false
}
