package wechat

import (
	"strings"
	"testing"
	"unicode/utf8"

	"policybot/parts"
)

// lines makes lines of texts; those starting with a space go on.
func lines(texts ...string) []parts.Line {
	var out []parts.Line
	for _, t := range texts {
		out = append(out, parts.Plain(t))
	}
	return out
}

func TestSplit(t *testing.T) {
	item := func(n int) []string {
		return []string{
			strings.Repeat("补", 3) + "第" + string(rune('0'+n)) + "项",
			"   金额：" + strings.Repeat("元", 20),
			"   依据：" + strings.Repeat("条", 20),
		}
	}
	var result []string
	for n := 1; n <= 6; n++ {
		result = append(result, item(n)...)
	}
	long := strings.Repeat("这是一句很长的说明。", 30) // 300 characters, 900 bytes
	for _, c := range []struct {
		name  string
		lines []parts.Line
		limit int
		want  []string // every part; nil: check only the invariants
	}{
		{"fits", lines("第一行", "第二行"), 100, []string{"第一行\n第二行"}},
		{"between lines", lines("一二三四五", "六七八九十"), 20, []string{"一二三四五", "六七八九十"}},
		{
			// Breaking before the third detail of item 2 would leave its
			// heading and first detail behind: the item moves whole.
			"an item moves whole", lines(result...), 400, nil,
		},
		{"a long line between its sentences", lines(long), 200, nil},
		{"a sentence longer than a part, between characters", lines(strings.Repeat("字", 100)), 31, nil},
		{"blank lines at the edges dropped", lines("甲", "", "乙"), 4, []string{"甲", "乙"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := split(c.lines, c.limit)
			if c.want != nil && strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("parts %q, want %q", got, c.want)
			}
			var all strings.Builder
			for _, p := range got {
				if len(p) > c.limit || !utf8.ValidString(p) || p == "" {
					t.Errorf("part of %d bytes (limit %d), valid %v: %q", len(p), c.limit, utf8.ValidString(p), p)
				}
				all.WriteString(p)
			}
			var want strings.Builder
			for _, l := range c.lines {
				for _, r := range l.Runs {
					want.WriteString(r.Text)
				}
			}
			if strings.ReplaceAll(all.String(), "\n", "") != want.String() {
				t.Errorf("the parts do not hold the text, in order")
			}
		})
	}

	// Items break between items: every part after the first begins with
	// a heading, none with a detail.
	for i, p := range split(lines(result...), 400) {
		if strings.HasPrefix(p, " ") {
			t.Errorf("part %d begins inside an item: %q", i+1, p)
		}
	}
	// A long line breaks after a sentence's end.
	for i, p := range split(lines(long), 200) {
		if !strings.HasSuffix(p, "。") {
			t.Errorf("part %d does not end a sentence: %q", i+1, p)
		}
	}
}

func TestPick(t *testing.T) {
	st := chatState{Options: []string{"large", "medium", "small", "micro", "small_or_micro", "skip"}}
	for text, want := range map[string]string{
		"1": "large", "３": "small", " 6 ": "skip", "02": "medium", "2。": "medium", "4.": "micro",
		"0": "", "7": "", "99": "", "1个": "", "一": "", "3人": "", "": "", "1.5": "", "3,4": "",
	} {
		got, ok := st.pick(text)
		if got != want || ok != (want != "") {
			t.Errorf("pick(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	if _, ok := (chatState{}).pick("1"); ok {
		t.Error("a number picked an option when none was offered")
	}
}

func TestTexts(t *testing.T) {
	tx, err := loadTexts()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"全部", " 全部 ", "全部。", "ALL", "all!"} {
		if !tx.asksMore(s) {
			t.Errorf("%q does not ask for more", s)
		}
	}
	for _, s := range []string{"全部政策", "所有补贴", "1"} {
		if tx.asksMore(s) {
			t.Errorf("%q asks for more", s)
		}
	}
	if got := tx.option("zh", 2, "中型企业"); got != "回复 2：中型企业" {
		t.Errorf("option line %q", got)
	}
	if !strings.Contains(tx.text("zh", textMore), "回复「全部」查看其余") {
		t.Errorf("the note is %q", tx.text("zh", textMore))
	}
	for _, lang := range languages {
		for name, s := range tx.Texts[lang] {
			if len(s) > maxContent {
				t.Errorf("%s %s is over WeChat's limit", lang, name)
			}
		}
	}
}
