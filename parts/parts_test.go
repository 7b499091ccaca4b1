package parts

import (
	"html"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"policybot/corpus"
)

// The two measures the channels use: bytes of UTF-8 as they are (WeChat),
// and UTF-16 code units of escaped HTML (Telegram).
var (
	bytesOf = Format{}
	htmlOf  = Format{Measure: utf16Units, Escape: html.EscapeString}
)

func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// plain makes lines of texts; those starting with a space go on.
func plain(texts ...string) []Line {
	var out []Line
	for _, t := range texts {
		out = append(out, Plain(t))
	}
	return out
}

func bold(s string) Run { return Run{s, "<b>", "</b>"} }

// TestPack: parts fit the limit as the channel counts, break between lines,
// rather between items than inside one, else between sentences, else
// between characters, with marks and escapes whole.
func TestPack(t *testing.T) {
	item := func(n string) []string {
		return []string{n + ". 补补补", "   金额：" + strings.Repeat("元", 4), "   依据：" + strings.Repeat("条", 4)}
	}
	items := func(ns ...string) []Line {
		var out []Line
		for _, n := range ns {
			out = append(out, plain(item(n)...)...)
		}
		return out
	}
	option := func(s string) Line { l := Plain(s); l.GoesOn = true; return l }
	for _, c := range []struct {
		name  string
		f     Format
		lines []Line
		limit int
		want  []string
	}{
		{"fits", bytesOf, plain("第一行", "第二行"), 19, []string{"第一行\n第二行"}},
		{"the newline counts", bytesOf, plain("第一行", "第二行"), 18, []string{"第一行", "第二行"}},
		{"between lines", bytesOf, plain("一二三四五", "六七八九十"), 20, []string{"一二三四五", "六七八九十"}},
		{"nothing, no part", bytesOf, nil, 10, nil},
		{"only blank lines, no part", bytesOf, plain("", "", ""), 10, nil},
		{"blank lines at the edges dropped", bytesOf, plain("甲", "", "乙"), 4, []string{"甲", "乙"}},
		{"blank lines inside kept", bytesOf, plain("甲", "", "乙"), 20, []string{"甲\n\n乙"}},
		{
			// Item 2 does not fit after item 1: it moves whole rather
			// than leave its heading behind.
			"an item carried over whole", bytesOf, items("1", "2"), 80,
			[]string{strings.Join(item("1"), "\n"), strings.Join(item("2"), "\n")},
		},
		{
			// What would stay (甲, 3 bytes) is under half a part: the
			// item breaks before its second detail instead.
			"an item not carried when what stays is under half a part", bytesOf,
			plain("甲", "1. 补补补", "   "+strings.Repeat("元", 12), "   "+strings.Repeat("条", 12)), 60,
			[]string{"甲\n1. 补补补\n   " + strings.Repeat("元", 12), "   " + strings.Repeat("条", 12)},
		},
		{
			// The options go on with their question though not indented.
			"options stay with their question", bytesOf,
			[]Line{Plain(strings.Repeat("答", 8)), Plain("您是哪类企业？"), option("1：大型"), option("2：小型")}, 46,
			[]string{strings.Repeat("答", 8), "您是哪类企业？\n1：大型\n2：小型"},
		},
		{"a long line between its sentences", bytesOf, plain("第一句话。第二句话！第三句"), 30, []string{"第一句话。第二句话！", "第三句"}},
		{"a full stop ends a sentence only before a space", bytesOf, plain("比例2.5倍。下一句 Done. Next"), 16, []string{"比例2.5倍。", "下一句 Done.", " Next"}},
		{"a sentence too long, between characters", bytesOf, plain(strings.Repeat("长", 25)), 30, []string{strings.Repeat("长", 10), strings.Repeat("长", 10), strings.Repeat("长", 5)}},
		{"multi-byte characters stay whole", bytesOf, plain("aé长😀b"), 4, []string{"aé", "长", "😀", "b"}},
		{"a character larger than the limit stands alone", bytesOf, plain("a😀😀b"), 3, []string{"a", "😀", "😀", "b"}},
		{"UTF-16: a Chinese character is one unit", htmlOf, plain(strings.Repeat("长", 25)), 10, []string{strings.Repeat("长", 10), strings.Repeat("长", 10), strings.Repeat("长", 5)}},
		{"UTF-16: an emoji is two units", htmlOf, plain(strings.Repeat("😀", 6)), 10, []string{strings.Repeat("😀", 5), "😀"}},
		{"bytes: an emoji is four", bytesOf, plain(strings.Repeat("😀", 6)), 10, []string{"😀😀", "😀😀", "😀😀"}},
		{"HTML is escaped and counted escaped", htmlOf, plain("<a>", "&"), 10, []string{"&lt;a&gt;", "&amp;"}},
		{"an entity is never cut", htmlOf, plain("&&&&&"), 12, []string{"&amp;&amp;", "&amp;&amp;", "&amp;"}},
		{"marks whole in each piece and counted there", htmlOf, []Line{{Runs: []Run{bold("金额"), {Text: "很长很长很长"}}}}, 12, []string{"<b>金额</b>很长很", "长很长"}},
		{"a run cut across pieces is marked in each", htmlOf, []Line{{Runs: []Run{bold(strings.Repeat("金", 12))}}}, 12, []string{"<b>" + strings.Repeat("金", 5) + "</b>", "<b>" + strings.Repeat("金", 5) + "</b>", "<b>金金</b>"}},
		{"neighbouring runs alike are marked once when cut", htmlOf, []Line{{Runs: []Run{bold("金额"), bold("很长很长很长很长")}}}, 15, []string{"<b>金额很长很长很长</b>", "<b>很长</b>"}},
		{"a run with no text leaves no marks", htmlOf, []Line{{Runs: []Run{bold(""), {Text: "甲"}}}}, 10, []string{"甲"}},
		{"sentences keep their marks", htmlOf, []Line{{Runs: []Run{{Text: "比例为"}, bold("50%"), {Text: "。下一句话很长很长"}}}}, 20, []string{"比例为<b>50%</b>。", "下一句话很长很长"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := c.f.Pack(c.lines, c.limit)
			if strings.Join(got, "|") != strings.Join(c.want, "|") || len(got) != len(c.want) {
				t.Errorf("parts %q, want %q", got, c.want)
			}
			for _, p := range got {
				if n := c.f.measure(p); n > c.limit && utf8.RuneCountInString(html.UnescapeString(p)) > 1 {
					t.Errorf("part %q is %d, over %d", p, n, c.limit)
				}
			}
		})
	}
}

// TestPackTheNotice packs the notice's clauses as a reply lists results,
// each a heading and an indented body, at several limits in both measures:
// every part is within the limit and not empty, the text is all there in
// order, a line breaks only after a sentence unless the sentence is longer
// than a part, and a part begins inside an item only when the item could
// not move whole.
func TestPackTheNotice(t *testing.T) {
	lines := noticeItems(t)
	if len(lines) < 18 {
		t.Fatalf("%d lines from the notice", len(lines))
	}
	var text strings.Builder
	for i, l := range lines {
		if i > 0 {
			text.WriteByte('\n')
		}
		text.WriteString(l.Runs[0].Text)
	}
	for _, f := range []struct {
		name string
		f    Format
	}{{"bytes", bytesOf}, {"HTML", htmlOf}} {
		for _, limit := range []int{60, 200, 683, 2048, 3968} {
			got := f.f.Pack(lines, limit)
			if len(got) == 0 {
				t.Fatalf("%s %d: no parts", f.name, limit)
			}
			var shown []string
			for i, p := range got {
				if n := f.f.measure(p); n > limit || p == "" || !utf8.ValidString(p) {
					t.Errorf("%s %d: part %d is %d (valid %v): %q", f.name, limit, i+1, n, utf8.ValidString(p), p)
				}
				s := p
				if f.f.Escape != nil {
					s = html.UnescapeString(p)
				}
				shown = append(shown, s)
			}
			checkBreaks(t, f.name, f.f, limit, text.String(), shown)
		}
	}
}

// checkBreaks walks the reply's text part by part: a part ends at the end
// of a line, after a sentence, or, when the sentence it ends in is longer
// than a part, anywhere; a part begins with an indented line only when its
// item's heading is in the part before with less than half a part before it.
func checkBreaks(t *testing.T, name string, f Format, limit int, text string, shown []string) {
	t.Helper()
	at := 0
	for i, p := range shown {
		for at < len(text) && text[at] == '\n' {
			at++
		}
		if !strings.HasPrefix(text[at:], p) {
			t.Fatalf("%s %d: part %d is not what follows in the text: %q", name, limit, i+1, p)
		}
		begin := at
		at += len(p)
		if at == len(text) || text[at] == '\n' {
			if i > 0 && strings.HasPrefix(p, " ") && text[begin-1] == '\n' {
				// It begins inside an item: the item's heading stayed
				// behind because what would have stayed without it is
				// under half a part.
				before := strings.Split(shown[i-1], "\n")
				h := len(before) - 1
				for h > 0 && strings.HasPrefix(before[h], " ") {
					h--
				}
				if stays := strings.Join(before[:h], "\n"); h > 0 && f.measure(f.escape(stays)) >= limit/2 {
					t.Errorf("%s %d: part %d begins inside an item that could have moved: %q", name, limit, i+1, p)
				}
			}
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(p)
		if strings.ContainsRune(sentenceEnds, last) || last == '.' && text[at] == ' ' {
			continue
		}
		from := strings.LastIndexAny(text[:at], sentenceEnds+"\n") + 1
		to := at + strings.IndexAny(text[at:], sentenceEnds+"\n")
		if to < at {
			to = len(text)
		}
		if f.measure(f.escape(text[from:to])) <= limit {
			t.Errorf("%s %d: part %d breaks a sentence that fits a part: %q", name, limit, i+1, p)
		}
	}
	if at != len(text) {
		t.Errorf("%s %d: the parts end at %d of %d bytes", name, limit, at, len(text))
	}
}

var clauseNumber = regexp.MustCompile(`（[一二三四五六七八九十]+）`)

// noticeItems are the notice's clauses as a reply lists results: the
// clause's number and title, then its body indented.
func noticeItems(tb testing.TB) []Line {
	tb.Helper()
	b, err := fs.ReadFile(corpus.Embedded(), "cq-2022-employment-measures.txt")
	if err != nil {
		tb.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(b)), "")
	var out []Line
	starts := clauseNumber.FindAllStringIndex(text, -1)
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		clause := text[s[0]:end]
		title, body, _ := strings.Cut(clause, "。")
		out = append(out, Plain(title+"。"), Plain("   "+body))
	}
	return out
}

// BenchmarkPack packs the whole notice, listed as results, into
// Telegram-sized parts of HTML and WeChat-sized parts of bytes.
func BenchmarkPack(b *testing.B) {
	lines := noticeItems(b)
	for _, f := range []struct {
		name  string
		f     Format
		limit int
	}{{"html", htmlOf, 3968}, {"bytes", bytesOf, 2048 - 60}} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				f.f.Pack(lines, f.limit)
			}
		})
	}
}
