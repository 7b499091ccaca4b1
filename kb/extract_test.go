package kb_test

import (
	"testing"
	"time"

	"policybot/kb"
)

func TestExtract(t *testing.T) {
	vocab, err := kb.ParseVocabulary([]byte("groups: [高校毕业生, 应届高校毕业生, 离校2年内未就业高校毕业生, 4050人员, 脱贫人口]\ndeferrals: [实施细则另行制定]"))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		kind  kb.MentionKind
		text  string
		value float64
		max   float64
	}
	cases := []struct {
		name, sentence string
		want           []want
	}{
		{"amount per person", "按规定给予2000元/人一次性吸纳就业补贴。", []want{{kb.Amount, "2000元/人", 2000, 0}}},
		{"amount per person per year", "按实际招用人数每人每年7800元定额减免税费。", []want{{kb.Amount, "每人每年7800元", 7800, 0}}},
		{"ceiling in ten thousands", "给予最高300万元创业担保贷款", []want{{kb.Amount, "最高300万元", 3e6, 0}}},
		{"range", "按规定给予5－500万元建设补助。", []want{{kb.Amount, "5－500万元", 5e4, 5e6}}},
		{"upper bound", "10万元以下个人贷款", []want{{kb.Amount, "10万元以下", 1e5, 0}}},
		{"percentages", "将大型企业稳岗返还比例由30%提至50%。", []want{{kb.Percent, "30%", 30, 0}, {kb.Percent, "50%", 50, 0}}},
		{"ratio", "按个人实缴职工养老保险费的2/3给予社保补贴。", []want{{kb.Ratio, "2/3", 2.0 / 3, 0}}},
		{"duration at least", "稳定就业6个月以上的", []want{{kb.Duration, "6个月以上", 6, 0}}},
		{"duration within and group holding it", "对离校2年内未就业高校毕业生", []want{{kb.Group, "离校2年内未就业高校毕业生", 0, 0}, {kb.Duration, "2年内", 2, 0}}},
		{"duration full", "累计缴纳失业保险费满12个月及以上", []want{{kb.Duration, "满12个月及以上", 12, 0}}},
		{"date", "政策执行至2023年4月30日。", []want{{kb.Date, "2023年4月30日", 0, 0}}},
		{"period", "将2022年1月1日至12月31日期间新发生的参保失业人员", []want{{kb.Period, "2022年1月1日至12月31日", 0, 0}}},
		{"rate", "贷款利率LPR－150BP以上部分由政府贴息", []want{{kb.Rate, "LPR－150BP", 0, 0}}},
		{"group not count", "4050人员等重点群体", []want{{kb.Group, "4050人员", 0, 0}}},
		{"count", "力争创造就业岗位65万个左右。", []want{{kb.Count, "65万个左右", 650000, 0}}},
		{"document number", "按（渝人社发〔2022〕9号）执行", []want{{kb.Reference, "渝人社发〔2022〕9号", 0, 0}}},
		{"deferral", "给予一次性扩岗补助，实施细则另行制定。", []want{{kb.Reference, "实施细则另行制定", 0, 0}}},
		{"year is not a duration", "2022年发展零工市场", nil},
		{"impossible date", "截至2022年2月30日", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := kb.Extract(c.sentence, vocab)
			var figures []kb.Mention
			for _, m := range got {
				if m.Kind != kb.Count || c.name == "count" {
					figures = append(figures, m)
				}
			}
			if len(figures) != len(c.want) {
				t.Fatalf("got %d mentions %+v, want %d", len(figures), figures, len(c.want))
			}
			for i, w := range c.want {
				m := figures[i]
				if m.Kind != w.kind || m.Text != w.text || (w.value != 0 && abs(m.Value-w.value) > 1e-9) || m.Max != w.max {
					t.Errorf("mention %d = %s %q %v..%v, want %s %q %v..%v", i, m.Kind, m.Text, m.Value, m.Max, w.kind, w.text, w.value, w.max)
				}
				if c.sentence[m.Start:m.End] != m.Text {
					t.Errorf("offsets %d:%d do not hold %q", m.Start, m.End, m.Text)
				}
			}
		})
	}
}

func TestExtractPeriodBounds(t *testing.T) {
	ms := kb.Extract("将2022年1月1日至12月31日期间新发生的", nil)
	if len(ms) != 1 || ms[0].From.Format(time.DateOnly) != "2022-01-01" || ms[0].To.Format(time.DateOnly) != "2022-12-31" {
		t.Fatalf("period = %+v", ms)
	}
}

// TestExtractRealFigures checks every figure of the notice is found.
func TestExtractRealFigures(t *testing.T) {
	d := loadReal(t).Doc(realID)
	want := map[int][]string{
		1:  {"1%", "2023年4月30日"},
		2:  {"30%", "50%"},
		3:  {"6个月以上", "2000元/人", "2年内", "每人每年7800元", "2年内"},
		4:  {"15%", "100人", "8%", "最高300万元", "LPR－150BP"},
		6:  {"65万个左右", "34.1万个"},
		8:  {"3个"},
		9:  {"2022年1月1日至12月31日"},
		11: {"10万元以下"},
		12: {"10000个"},
		13: {"20家以上", "2年内", "2/3"},
		14: {"8大", "33条", "25万人次", "满12个月及以上", "2022年12月31日", "5－500万元"},
		16: {"2年"},
	}
	for _, c := range d.Clauses() {
		var got []string
		for _, s := range c.Sentences {
			for _, m := range s.Mentions {
				if m.IsFigure() {
					got = append(got, m.Text)
				}
			}
		}
		if !equal(got, want[c.Ordinal]) {
			t.Errorf("clause %d figures %q, want %q", c.Ordinal, got, want[c.Ordinal])
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
