package answers

import (
	"fmt"
	"testing"

	"policybot/zh"
)

func newReader(t *testing.T) figureReader {
	t.Helper()
	f, err := zh.NewFolder()
	if err != nil {
		t.Fatal(err)
	}
	return figureReader{folder: f}
}

// canon is a figure as verification compares it.
func canon(f figure) string {
	return fmt.Sprintf("%s %v-%v%s %s~%s", f.Kind, key(f.Value), key(f.Max), f.Unit,
		f.From.Format("2006-01-02"), f.To.Format("2006-01-02"))
}

func TestFiguresCompareEqual(t *testing.T) {
	groups := [][]string{
		{"2000元", "2,000元", "两千元", "2千元", "2000块", "2000 yuan", "2,000 yuan", "RMB 2000", "¥2,000", "CNY 2000", "two thousand yuan", "２０００元"},
		{"300万元", "3000000元", "三百万元", "3,000,000元", "3 million yuan", "RMB 3,000,000", "three million yuan"},
		{"10万元", "十万元", "100000元", "100,000 yuan", "one hundred thousand yuan", "ten 万元"},
		{"7800元", "七千八百元", "7,800 yuan", "7.8千元"},
		{"5－500万元", "5万至500万元", "50000-5000000元"},
		{"50%", "百分之五十", "50 percent", "50 per cent", "５０％", "50 %"},
		{"2/3", "三分之二", "two thirds", "two-thirds"},
		{"1/3", "三分之一", "a third", "one third"},
		{"6个月", "六个月", "6 months", "six months", "six-month", "6-month", "半年", "half a year"},
		{"2年", "两年", "24个月", "2 years", "two years", "二十四个月"},
		{"30天", "三十天", "30 days", "thirty days"},
		{"2023年4月30日", "2023-04-30", "2023/4/30", "April 30, 2023", "30 April 2023", "Apr. 30, 2023", "二〇二三年四月三十日", "the 30th of April 2023", "april 30 2023"},
		{"2023年4月", "April 2023", "二〇二三年四月"},
		{"4月30日", "April 30", "30 April", "四月三十日"},
		{"2022年1月1日至12月31日", "2022年1月1日至2022年12月31日", "2022年1月1日到12月31日"},
		{"LPR－150BP", "LPR-150BP", "LPR - 150 bp", "LPR minus 150 basis points", "LPR减150个基点"},
		{"（十九）", "(十九)", "第十九条", "第19条", "clause 19", "measure 19"},
		{"100人", "一百人", "100 people", "one hundred employees"},
	}
	r := newReader(t)
	for _, g := range groups {
		want := ""
		for _, text := range g {
			fs := r.figures(text)
			if len(fs) != 1 {
				t.Errorf("%q: %d figures %v, want 1", text, len(fs), fs)
				continue
			}
			got := canon(fs[0])
			if want == "" {
				want = got
			} else if got != want {
				t.Errorf("%q reads as %s; %q as %s", text, got, g[0], want)
			}
		}
	}
}

func TestFiguresKeepWords(t *testing.T) {
	r := newReader(t)
	for _, text := range []string{
		"给予一次性吸纳就业补贴", "进一步稳定和扩大就业", "统一办理", "a one-time subsidy",
		"two measures apply", "one of the measures", "各区县人力社保局", "1. 中小微企业可以申请", "千万不要错过",
	} {
		if fs := r.figures(text); len(fs) != 0 {
			t.Errorf("%q has figures %v, want none", text, fs)
		}
	}
}

func TestFiguresReadBareNumbers(t *testing.T) {
	r := newReader(t)
	cases := map[string]string{
		"2022年的通知":          "number 2022-0 0001-01-01~0001-01-01",
		"in 2023":           "number 2023-0 0001-01-01~0001-01-01",
		"拨打12333":           "number 12333-0 0001-01-01~0001-01-01",
		"eighteen measures": "number 18-0 0001-01-01~0001-01-01",
	}
	for text, want := range cases {
		fs := r.figures(text)
		if len(fs) != 1 || canon(fs[0]) != want {
			t.Errorf("%q: %v, want one %s", text, fs, want)
		}
	}
}
