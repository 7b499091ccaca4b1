package telegram

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"policybot/bot"
)

// TestRenderEscapes: every text is escaped, whoever wrote it: a reply that
// quoted a person's script, corpus text with < and &.
func TestRenderEscapes(t *testing.T) {
	r := &bot.Reply{
		Reply:   "您问的是：<script>alert(\"x\")</script>\n金额：<3000元 & 以上\n【A&B】",
		Results: []bot.Result{{Benefit: "补贴<i>", Amount: "<3000元 & 以上"}},
	}
	parts := split(document(r), partLimit)
	if len(parts) != 1 {
		t.Fatalf("%d parts", len(parts))
	}
	want := "您问的是：&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\n金额：<b>&lt;3000元 &amp; 以上</b>\n<b>A&amp;B</b>"
	if parts[0] != want {
		t.Errorf("rendered\n%s\nwant\n%s", parts[0], want)
	}
	text, _, err := parseTelegramHTML(parts[0])
	if err != nil || text != "您问的是：<script>alert(\"x\")</script>\n金额：<3000元 & 以上\nA&B" {
		t.Errorf("Telegram reads %q, %v", text, err)
	}
}

// TestRenderAnswer: a real answer has its current figures in bold (from
// answers.QuoteSpans and the registry's 【】 marks), and its citation in
// italics.
func TestRenderAnswer(t *testing.T) {
	ctx := testContext(t, 10*time.Second)
	w := newWorld(t)
	r, err := w.engine.Handle(ctx, bot.Message{Channel: "test", Text: "稳岗返还的比例是多少？"})
	if err != nil {
		t.Fatal(err)
	}
	parts := split(document(r), partLimit)
	if len(parts) != 1 {
		t.Fatalf("%d parts", len(parts))
	}
	text, entities, err := parseTelegramHTML(parts[0])
	if err != nil {
		t.Fatal(err)
	}
	var bolds, italics []string
	for _, e := range entities {
		s := string(utf16Slice(text, e.Offset, e.Length))
		switch e.Type {
		case models.MessageEntityTypeBold:
			bolds = append(bolds, s)
		case models.MessageEntityTypeItalic:
			italics = append(italics, s)
		}
	}
	// The 2025 round (渝人社规〔2025〕10号) replaced the notice's rates: its
	// rates are bold, the notice's 30% and 50% are quoted but not shown as
	// figures to go by.
	if !slices.Contains(bolds, "10%") || !slices.Contains(bolds, "20%") || slices.Contains(bolds, "30%") || slices.Contains(bolds, "50%") {
		t.Errorf("bold: %q, want the 2025 rates and not the notice's", bolds)
	}
	if !strings.Contains(text, "由30%提至50%") {
		t.Errorf("the notice's quote is missing from %q", text)
	}
	if len(italics) != 1 || !strings.HasPrefix(italics[0], "出处：《关于进一步稳定和扩大就业若干政策措施的通知》（二）") {
		t.Errorf("italics: %q, want the citation", italics)
	}
	if strings.Contains(text, "【") {
		t.Errorf("plain-text marks left in %q", text)
	}
}

func utf16Slice(s string, off, n int) []rune {
	var out []rune
	at := 0
	for _, r := range s {
		size := 1
		if r >= 0x10000 {
			size = 2
		}
		if at >= off && at < off+n {
			out = append(out, r)
		}
		at += size
	}
	return out
}

// TestSplit: messages fit the limit, break between lines, else between
// sentences, else between characters; nothing is lost or doubled; an
// emoji counts as Telegram counts it.
func TestSplit(t *testing.T) {
	para := func(s string, n int) line { return line{{text: strings.Repeat(s, n)}} }
	for _, c := range []struct {
		name  string
		doc   []line
		limit int
		want  []string
	}{
		{"fits", []line{{{text: "一"}}, {{text: "二"}}}, 10, []string{"一\n二"}},
		{"between lines", []line{para("甲", 6), para("乙", 6)}, 10, []string{"甲甲甲甲甲甲", "乙乙乙乙乙乙"}},
		{"between sentences", []line{{{text: "第一句话。第二句话！第三句"}}}, 10, []string{"第一句话。第二句话！", "第三句"}},
		{"a sentence too long", []line{para("长", 25)}, 10, []string{strings.Repeat("长", 10), strings.Repeat("长", 10), strings.Repeat("长", 5)}},
		{"bold stays whole", []line{{{text: "金额", style: bold}, {text: "很长很长很长"}}}, 12, []string{"<b>金额</b>很长很", "长很长"}},
		{"emoji are two", []line{para("😀", 6)}, 10, []string{strings.Repeat("😀", 5), "😀"}},
		{"blank lines at edges", []line{para("甲", 8), {}, para("乙", 8)}, 10, []string{"甲甲甲甲甲甲甲甲", "乙乙乙乙乙乙乙乙"}},
		{"an item kept whole", []line{para("甲", 5), {{text: "2. 乙"}}, {{text: "   丙"}}}, 10, []string{"甲甲甲甲甲", "2. 乙\n   丙"}},
		{"decimal point", []line{{{text: "比例2.5倍。下一句"}}}, 8, []string{"比例2.5倍。", "下一句"}},
	} {
		got := split(c.doc, c.limit)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		for _, m := range got {
			if units(m) > c.limit {
				t.Errorf("%s: %q is %d units, over %d", c.name, m, units(m), c.limit)
			}
		}
	}
}

// TestCallbackData: the data of any button fits in 64 bytes, reads back,
// and anything else is refused.
func TestCallbackData(t *testing.T) {
	for _, c := range []struct {
		turn int64
		i    int
	}{{1, 0}, {48213, 5}, {1<<63 - 1, 99}} {
		d := callbackData(c.turn, c.i)
		if len(d) > maxCallbackData {
			t.Errorf("%q is %d bytes", d, len(d))
		}
		if turn, i, ok := parseCallback(d); !ok || turn != c.turn || i != c.i {
			t.Errorf("parseCallback(%q) = %d, %d, %v", d, turn, i, ok)
		}
	}
	for _, d := range []string{"", "b", "b1", "b1.", "bzz.x", "b1.-1", "b1.01", "x1.0", "b0.1", "b-1.0", "b1.0" + strings.Repeat("0", 70)} {
		if _, _, ok := parseCallback(d); ok {
			t.Errorf("parseCallback(%q) accepted", d)
		}
	}
	st := chatState{Turn: 42, Options: []string{"employer", "skip"}}
	if v, ok := st.option(callbackData(42, 1)); !ok || v != "skip" {
		t.Errorf("live button read as %q, %v", v, ok)
	}
	for _, d := range []string{callbackData(41, 0), callbackData(42, 2)} {
		if _, ok := st.option(d); ok {
			t.Errorf("stale button %q accepted", d)
		}
	}
	if st := decodeChatState([]byte("not json")); st.Turn != 0 {
		t.Errorf("unreadable state read as %+v", st)
	}
}

// TestCommandOf reads commands as Telegram marks them.
func TestCommandOf(t *testing.T) {
	for _, c := range []struct{ text, name, at string }{
		{"/check", "check", ""},
		{"/Check@PolicyBot_test_bot 我是企业", "check", "PolicyBot_test_bot"},
		{"/start\npayload", "start", ""},
		{"/ 12333", "", ""},
		{"/12333是什么", "", ""},
		{"稳岗返还 /check", "", ""},
	} {
		name, at, ok := commandOf(c.text)
		if name != c.name || at != c.at || ok != (c.name != "") {
			t.Errorf("commandOf(%q) = %q, %q, %v", c.text, name, at, ok)
		}
	}
}

// TestLanguage picks the channel's language from Telegram's code.
func TestLanguage(t *testing.T) {
	for code, want := range map[string]string{"": "zh", "zh-hans": "zh", "ZH-Hant": "zh", "en": "en", "en-GB": "en", "ru": "en"} {
		if got := language(code); got != want {
			t.Errorf("language(%q) = %s, want %s", code, got, want)
		}
	}
}
