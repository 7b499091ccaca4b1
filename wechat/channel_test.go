package wechat

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// modes runs a test in 明文模式 and in 安全模式.
func modes(t *testing.T, test func(t *testing.T, w *world)) {
	for _, m := range []struct {
		name string
		safe bool
	}{{"plain", false}, {"safe", true}} {
		t.Run(m.name, func(t *testing.T) { test(t, newWorld(t, m.safe)) })
	}
}

// TestURLVerification: the check the 公众平台 makes when the server URL is
// saved gets its echostr back when signed with the token, in either mode,
// and 401 otherwise.
func TestURLVerification(t *testing.T) {
	modes(t, func(t *testing.T, w *world) {
		ctx := testContext(t, 30*time.Second)
		get := func(q url.Values) (int, string) {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, w.wx.url+"?"+q.Encode(), nil)
			resp, err := w.wx.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			return resp.StatusCode, b.String()
		}
		ts, n := "1700000000", "1357924680"
		echo := "8150261936716953913"
		code, body := get(url.Values{"signature": {signature(testToken, ts, n)}, "timestamp": {ts}, "nonce": {n}, "echostr": {echo}})
		if code != http.StatusOK || body != echo {
			t.Errorf("signed check: %d %q, want 200 and the echostr", code, body)
		}
		for name, q := range map[string]url.Values{
			"another token":   {"signature": {signature("otherToken", ts, n)}, "timestamp": {ts}, "nonce": {n}, "echostr": {echo}},
			"no signature":    {"timestamp": {ts}, "nonce": {n}, "echostr": {echo}},
			"changed nonce":   {"signature": {signature(testToken, ts, n)}, "timestamp": {ts}, "nonce": {"1"}, "echostr": {echo}},
			"signature empty": {"signature": {""}, "timestamp": {""}, "nonce": {""}, "echostr": {echo}},
		} {
			if code, body := get(q); code != http.StatusUnauthorized || strings.Contains(body, echo) {
				t.Errorf("%s: %d %q, want 401 without the echostr", name, code, body)
			}
		}
		if code, _ := get(url.Values{"signature": {signature(testToken, ts, n)}, "timestamp": {ts}, "nonce": {n}}); code != http.StatusBadRequest {
			t.Errorf("signed, without echostr: %d, want 400", code)
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPut, w.wx.url, nil)
		resp, err := w.wx.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, POST" {
			t.Errorf("PUT: %d, Allow %q; want 405, GET, POST", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}

// TestQuestion: a question is answered with the quote and its citation as
// plain text, the turn is logged as channel wechat under the OpenID's
// keyed hash, and the OpenID is nowhere in the database.
func TestQuestion(t *testing.T) {
	modes(t, func(t *testing.T, w *world) {
		ctx := testContext(t, time.Minute)
		got := w.says(ctx, wang, "稳岗返还的比例是多少？")
		for _, want := range []string{"稳岗返还", "出处：《关于进一步稳定和扩大就业若干政策措施的通知》", "12333"} {
			if !strings.Contains(got, want) {
				t.Errorf("reply lacks %q:\n%s", want, got)
			}
		}
		for _, markup := range []string{"<b>", "<i>", "**", "](", "<a "} {
			if strings.Contains(got, markup) {
				t.Errorf("reply has markup %q:\n%s", markup, got)
			}
		}
		turns := w.logged()
		if len(turns) != 1 {
			t.Fatalf("%d turns logged, want 1", len(turns))
		}
		l := turns[0]
		if l.channel != "wechat" || l.userHash != userHash(wang) || l.in != "稳岗返还的比例是多少？" || l.status != "answered" {
			t.Errorf("logged %+v; want channel wechat, the OpenID's hash, the question, answered", l)
		}
		if !strings.HasPrefix(got, strings.Split(l.out, "\n")[0]) {
			t.Errorf("the reply sent does not begin as the one logged:\nsent %q\nlogged %q", got, l.out)
		}
		recent, err := w.db.RecentConversations(ctx, 10)
		if err != nil || len(recent) != 1 || recent[0].Channel != "wechat" {
			t.Errorf("the console's recent conversations: %+v, %v; want the wechat one", recent, err)
		}

		w.db.Close() // flushes the WAL into the file
		for _, f := range []string{w.path, w.path + "-wal"} {
			data, err := os.ReadFile(f)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte(wang)) {
				t.Errorf("%s holds the raw OpenID", f)
			}
		}
	})
}

// TestNumberedOptions: a check's question comes with its options as
// numbered lines; a reply of just a number (half- or full-width) chooses
// that option, logged as the option; a number no option has, or a number
// inside words, is read as text.
func TestNumberedOptions(t *testing.T) {
	modes(t, func(t *testing.T, w *world) {
		ctx := testContext(t, time.Minute)
		// In late 2026 the size decides only measures later documents
		// replaced; what is asked first is whether it is a key enterprise.
		got := w.says(ctx, zhang, "我们公司今年招了三个应届生，帮我看看能享受哪些政策")
		if !strings.Contains(got, "贵企业是智能终端产业企业") {
			t.Fatalf("no question of the key-enterprise lists:\n%s", got)
		}
		for i, label := range []string{"智能终端产业企业", "白名单、重点外贸或重点领域企业", "都不是"} {
			if want := "回复 " + string(rune('1'+i)) + "：" + label; !strings.Contains(got, want) {
				t.Errorf("options lack the line %q:\n%s", want, got)
			}
		}
		got = w.says(ctx, zhang, "３")
		turns := w.logged()
		if last := turns[len(turns)-1]; last.in != "[option] none" {
			t.Errorf("３ logged as %q, want the option none", last.in)
		}
		if strings.Contains(got, "贵企业是智能终端产业企业") {
			t.Errorf("after choosing 3, the question is asked again:\n%s", got)
		}
		if !strings.Contains(got, "回复 1：") {
			t.Fatalf("the next question has no numbered options:\n%s", got)
		}
		w.says(ctx, zhang, "99")
		w.says(ctx, zhang, "我们有2个残疾人")
		turns = w.logged()
		for _, l := range turns[len(turns)-2:] {
			if strings.HasPrefix(l.in, "[option]") {
				t.Errorf("%q was taken for an option", l.in)
			}
		}
		for _, l := range turns {
			if l.conversation != turns[0].conversation {
				t.Fatalf("the follower's turns are in more than one conversation")
			}
		}
	})
}

// TestLongReplyInParts: a result longer than WeChat's 2048 bytes comes in
// parts broken between lines, each but the last ending with the note;
// 全部 shows the next part, and once all is shown, says so. Together the
// parts are the whole reply, no line cut.
func TestLongReplyInParts(t *testing.T) {
	w := newWorld(t, false)
	ctx := testContext(t, time.Minute)
	w.says(ctx, wang, "我们公司今年招了三个应届生，帮我看看能享受哪些政策")
	first := w.says(ctx, wang, "直接看结果")
	note := w.ch.texts.text("zh", textMore)
	if !strings.HasSuffix(first, "\n"+note) {
		t.Fatalf("a long result does not end with the note %q:\n%s", note, first)
	}
	parts := []string{strings.TrimSuffix(first, "\n"+note)}
	for i := 0; ; i++ {
		if i > 10 {
			t.Fatal("more than ten parts")
		}
		got := w.says(ctx, wang, "全部")
		if rest, more := strings.CutSuffix(got, "\n"+note); more {
			parts = append(parts, rest)
			continue
		}
		parts = append(parts, got)
		break
	}
	if len(parts) < 2 {
		t.Fatalf("the result came in %d part", len(parts))
	}
	turns := w.logged()
	result := turns[len(turns)-1]
	if result.status != "result" || result.in != "直接看结果" {
		t.Fatalf("全部 reached the engine: the last turn is %+v", result)
	}
	// The log redacts, but a result has nothing to redact. The last part
	// ends with the options the reply offers (回复 1：查看全部), which are the
	// channel's, not the engine's text; blank lines may fall at a cut.
	whole := strings.Join(parts, "\n")
	if i := strings.Index(whole, "\n\n回复 1："); i >= 0 {
		whole = whole[:i]
	}
	if noBlank(whole) != noBlank(result.out) {
		t.Errorf("the parts together are not the reply:\n%s\n---\n%s", whole, result.out)
	}
	// With nothing left to show, 全部 goes to the engine, which shows every
	// verdict again.
	if got := w.says(ctx, wang, "全部"); !strings.HasPrefix(got, parts[0][:20]) {
		t.Errorf("全部 with nothing left: %q", got)
	}
	if last := w.logged(); last[len(last)-1].in != "全部" || last[len(last)-1].status != "result" {
		t.Errorf("全部 with nothing left did not reach the engine: %+v", last[len(last)-1])
	}
	if n := w.metric("policybot_wechat_messages_total", "kind", "more"); n != float64(len(parts)-1) {
		t.Errorf("more counted %v times, want %d", n, len(parts)-1)
	}
}

// TestSubscribe: a new follower is welcomed; other events get "success",
// nothing to show; neither starts a conversation.
func TestSubscribe(t *testing.T) {
	modes(t, func(t *testing.T, w *world) {
		ctx := testContext(t, 30*time.Second)
		if got := w.wx.send(ctx, alice, eventXML(alice, "subscribe")); got != w.ch.texts.text("zh", textWelcome) {
			t.Errorf("subscribe answered %q, want the welcome", got)
		}
		for _, ev := range []string{"unsubscribe", "CLICK", "VIEW", "LOCATION", "SCAN"} {
			if got := w.wx.send(ctx, alice, eventXML(alice, ev)); got != "" {
				t.Errorf("%s answered %q, want nothing", ev, got)
			}
		}
		if n := len(w.logged()); n != 0 {
			t.Errorf("%d turns logged for events, want none", n)
		}
	})
}

// TestKindsOfMessage: a voice message is read by WeChat's recognition of
// it, as text; one WeChat could not recognise, an image, a location and a
// kind unknown today get a polite request for text, and no turn.
func TestKindsOfMessage(t *testing.T) {
	modes(t, func(t *testing.T, w *world) {
		ctx := testContext(t, time.Minute)
		got := w.wx.send(ctx, wang, voiceXML(wang, nextMsgID(), "稳岗返还的比例是多少。"))
		if !strings.Contains(got, "稳岗返还") || !strings.Contains(got, "出处") {
			t.Errorf("voice not answered as its words:\n%s", got)
		}
		turns := w.logged()
		if len(turns) != 1 || turns[0].in != "稳岗返还的比例是多少。" {
			t.Fatalf("voice logged as %+v, want its recognition", turns)
		}
		notText := w.ch.texts.text("zh", textNotText)
		for name, msg := range map[string][]byte{
			"image":    imageXML(wang, nextMsgID()),
			"location": locationXML(wang, nextMsgID()),
			"unknown":  kindXML(wang, nextMsgID(), "hologram"),
		} {
			if got := w.wx.send(ctx, wang, msg); got != notText || !strings.Contains(got, "请发文字") {
				t.Errorf("%s answered %q, want %q", name, got, notText)
			}
		}
		if got := w.wx.send(ctx, wang, voiceXML(wang, nextMsgID(), "")); got != w.ch.texts.text("zh", textNotHeard) {
			t.Errorf("voice without recognition answered %q", got)
		}
		if n := len(w.logged()); n != 1 {
			t.Errorf("%d turns logged, want only the voice question's", n)
		}
		// The conversation goes on in English: so do the channel's words.
		w.says(ctx, alice, "What is the subsidy for hiring new graduates?")
		if got := w.wx.send(ctx, alice, imageXML(alice, nextMsgID())); got != w.ch.texts.text("en", textNotText) {
			t.Errorf("an image in an English conversation answered %q", got)
		}
	})
}

// TestBadMessages: what the engine refuses gets the channel's notice and
// no turn; too long, and nothing but symbols.
func TestBadMessages(t *testing.T) {
	w := newWorld(t, false)
	ctx := testContext(t, 30*time.Second)
	if got := w.says(ctx, wang, strings.Repeat("补贴", 800)); got != w.ch.texts.text("zh", textTooLong) {
		t.Errorf("1,600 characters answered %q", got)
	}
	if got := w.says(ctx, wang, "？？？！！"); got != w.ch.texts.text("zh", textUnreadable) {
		t.Errorf("punctuation answered %q", got)
	}
	if n := len(w.logged()); n != 0 {
		t.Errorf("%d turns logged, want none", n)
	}
}

// failingEngine fails every turn, as an engine whose database is gone.
type failingEngine struct{}

func (failingEngine) Handle(context.Context, bot.Message) (*bot.Reply, error) {
	return nil, errors.New("database is locked")
}

// TestEngineFails: a failure of ours is told politely, counted, and not a
// 5xx, which WeChat would answer by retrying.
func TestEngineFails(t *testing.T) {
	w := newWorld(t, false)
	w.serve(failingEngine{})
	ctx := testContext(t, 30*time.Second)
	if got := w.says(ctx, wang, "稳岗返还的比例是多少？"); got != w.ch.texts.text("zh", textFailed) {
		t.Errorf("engine failure answered %q", got)
	}
	if n := w.metric("policybot_wechat_errors_total", "op", "engine"); n != 1 {
		t.Errorf("engine errors counted %v, want 1", n)
	}
}

// noBlank drops the blank lines of s.
func noBlank(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
