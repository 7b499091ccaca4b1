package kb_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policybot/kb"
)

func TestParseRealNoticeHeader(t *testing.T) {
	d := loadReal(t).Doc(realID)
	if d == nil {
		t.Fatalf("document %s not loaded", realID)
	}
	checks := []struct{ name, got, want string }{
		{"title", d.Title, "重庆市人力资源和社会保障局等13个部门关于进一步稳定和扩大就业若干政策措施的通知"},
		{"short title", d.Short, "关于进一步稳定和扩大就业若干政策措施的通知"},
		{"issuer", d.Issuer, "重庆市人力资源和社会保障局等13个部门"},
		{"issued", d.Issued.Format(time.DateOnly), "2022-06-02"},
		{"number (metadata, cited by an official page)", d.Number, "渝人社发〔2022〕20号"},
		{"region", d.Region, "重庆市"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// The notice does not print its number; a county government page cites
	// it, which the metadata records.
	if !d.NumberOK || d.NumberCitedBy == nil || !strings.HasPrefix(d.NumberCitedBy.URL, "http://cqwx.gov.cn/") {
		t.Errorf("document number confirmed %v, cited by %+v; want the 巫溪县 page", d.NumberOK, d.NumberCitedBy)
	}
	if !strings.HasPrefix(d.Audience, "各区县（自治县）人力社保局") || !strings.HasSuffix(d.Audience, "各支行") {
		t.Errorf("audience = %q", d.Audience)
	}
	if !strings.HasPrefix(d.Preamble, "为深入贯彻") || !strings.HasSuffix(d.Preamble, "制定如下政策措施。") {
		t.Errorf("preamble = %q", d.Preamble)
	}
	if !strings.HasPrefix(d.Closing, "各区县有关部门要细化实化具体举措") || !strings.Contains(d.Closing, "（此件公开发布）") {
		t.Errorf("closing = %q", d.Closing)
	}
}

func TestParseRealNoticeStructure(t *testing.T) {
	d := loadReal(t).Doc(realID)
	parts := []string{"稳定市场主体就业岗位", "促进重点群体充分就业", "鼓励自主创业和灵活就业", "促进公共服务提质增效", "兜牢规模性失业风险底线"}
	titles := []string{
		"实施社会保险费降费率和缓缴政策", "扩大失业保险稳岗返还政策范围", "降低企业用工成本", "加大金融支持力度",
		"强化企业用工保障", "多渠道促进高校毕业生就业", "保持农民工就业稳定", "强化脱贫人口就业帮扶",
		"加强困难人员兜底保障", "统筹做好其他重点群体就业工作", "强化创业政策扶持", "搭建创业创新平台",
		"支持多渠道灵活就业", "加大职业培训力度", "提升就业服务质量", "提高供需匹配效率",
		"加强劳动权益保障", "健全就业监测预警处置机制",
	}
	clausesPerPart := []int{5, 5, 3, 3, 2}
	if len(d.Parts) != len(parts) {
		t.Fatalf("%d parts, want %d", len(d.Parts), len(parts))
	}
	for i, p := range d.Parts {
		if p.Title != parts[i] || p.Ordinal != i+1 || len(p.Clauses) != clausesPerPart[i] {
			t.Errorf("part %d = %q with %d clauses, want %q with %d", p.Ordinal, p.Title, len(p.Clauses), parts[i], clausesPerPart[i])
		}
	}
	clauses := d.Clauses()
	if len(clauses) != len(titles) {
		t.Fatalf("%d clauses, want %d", len(clauses), len(titles))
	}
	for i, c := range clauses {
		if c.Ordinal != i+1 || c.Title != titles[i] || c.Doc != realID {
			t.Errorf("clause %d = %s %q, want %d %q", c.Ordinal, c.Number, c.Title, i+1, titles[i])
		}
		if len(c.Sentences) == 0 {
			t.Errorf("clause %d has no sentences", c.Ordinal)
		}
	}
}

// TestParseRealNoticeLayout checks that what the PDF broke is whole again.
func TestParseRealNoticeLayout(t *testing.T) {
	d := loadReal(t).Doc(realID)
	want := map[int]string{
		1:  "延长阶段性降低失业保险费率至1%，政策执行至2023年4月30日。",
		3:  "对吸纳应届高校毕业生稳定就业6个月以上的中小微企业，按规定给予2000元/人一次性吸纳就业补贴。",
		4:  "对当年新招用高校毕业生占职工总数比例达到15%的小微企业（超过100人的企业达到8%）给予最高300万元创业担保贷款，贷款利率LPR－150BP以上部分由政府贴息。",
		9:  "延续实施失业补助金政策，将2022年1月1日至12月31日期间新发生的参保失业人员纳入保障范围。",
		13: "对离校2年内未就业高校毕业生、4050人员等重点群体灵活就业后缴纳社会保险费的，按个人实缴职工养老保险费、职工医疗保险费（含大额医疗保险）的2/3给予社保补贴。",
	}
	for ord, sentence := range want {
		found := false
		for _, s := range d.Clause(ord).Sentences {
			found = found || s.Text == sentence
		}
		if !found {
			t.Errorf("clause %d lacks sentence %q", ord, sentence)
		}
	}
	for _, c := range d.Clauses() {
		for _, s := range c.Sentences {
			if strings.ContainsAny(s.Text, " \n\f\t") {
				t.Errorf("clause %d sentence %q keeps white space from the PDF", c.Ordinal, s.Text)
			}
		}
	}
}

// TestParseRealNoticeEnds checks each end date lands on its sentence.
func TestParseRealNoticeEnds(t *testing.T) {
	d := loadReal(t).Doc(realID)
	want := map[int]string{1: "2023-04-30", 9: "2022-12-31", 14: "2022-12-31"}
	for _, c := range d.Clauses() {
		exp, ok := want[c.Ordinal]
		switch {
		case ok && (len(c.Ends) != 1 || c.Ends[0].Date.Format(time.DateOnly) != exp):
			t.Errorf("clause %d ends %v, want %s", c.Ordinal, c.Ends, exp)
		case !ok && len(c.Ends) != 0:
			t.Errorf("clause %d ends %v, want none", c.Ordinal, c.Ends)
		}
	}
	s := d.Clause(1).Sentences
	if s[0].Ends == nil || s[1].Ends != nil {
		t.Errorf("clause 1: the 1%% rate ends, the deferral does not: got %v, %v", s[0].Ends, s[1].Ends)
	}
}

// golden is the parsed notice as the golden file keeps it.
type golden struct {
	Title, Issuer, Issued, Audience, Preamble, Closing string
	Clauses                                            []goldenClause
}

type goldenClause struct {
	Ordinal   int
	Number    string
	Part      string
	Title     string
	Sentences []goldenSentence
}

type goldenSentence struct {
	Text     string
	Mentions []string `json:",omitempty"`
	Ends     string   `json:",omitempty"`
}

func toGolden(d *kb.Document) golden {
	g := golden{Title: d.Title, Issuer: d.Issuer, Issued: d.Issued.Format(time.DateOnly), Audience: d.Audience, Preamble: d.Preamble, Closing: d.Closing}
	for _, c := range d.Clauses() {
		gc := goldenClause{Ordinal: c.Ordinal, Number: c.Number, Part: c.PartTitle, Title: c.Title}
		for _, s := range c.Sentences {
			gs := goldenSentence{Text: s.Text}
			for _, m := range s.Mentions {
				gs.Mentions = append(gs.Mentions, string(m.Kind)+":"+m.Text)
			}
			if s.Ends != nil {
				gs.Ends = s.Ends.Date.Format(time.DateOnly)
			}
			gc.Sentences = append(gc.Sentences, gs)
		}
		g.Clauses = append(g.Clauses, gc)
	}
	return g
}

// TestParseGolden compares the whole parse (every clause, sentence and
// mention) with a reviewed golden file; run with -update after a deliberate
// change and review the diff.
func TestParseGolden(t *testing.T) {
	for name, c := range map[string]*kb.Corpus{realID: loadReal(t), "yubei-2023-internships": loadSecond(t)} {
		got, err := json.MarshalIndent(toGolden(c.Doc(name)), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name+".golden.json")
		if *update {
			if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read golden file (run go test ./kb -update to create it): %v", err)
		}
		if strings.TrimSpace(string(want)) != strings.TrimSpace(string(got)) {
			t.Errorf("%s parses differently from %s; run with -update and review the diff", name, path)
		}
	}
}

func TestParseSecondNotice(t *testing.T) {
	c := loadSecond(t)
	d := c.Doc("yubei-2023-internships")
	if d == nil {
		t.Fatalf("second notice not loaded; docs: %d", len(c.Docs))
	}
	if c.Doc(realID) != nil {
		t.Error("a folder of notices must not pull in the embedded notice")
	}
	if d.Title != "重庆市渝北区人力资源和社会保障局关于支持青年就业见习的通知" || d.Issued.Format(time.DateOnly) != "2023-03-01" {
		t.Errorf("title %q issued %s", d.Title, d.Issued)
	}
	cl := d.Clauses()
	if len(cl) != 4 || len(d.Parts) != 2 {
		t.Fatalf("%d parts, %d clauses, want 2 and 4", len(d.Parts), len(cl))
	}
	// Numbering restarts in part two, so citations name the part too.
	if cl[2].Ordinal != 3 || cl[2].Number != "（一）" || cl[2].Label != "二、（一）" || cl[2].Title != "购买人身意外伤害保险" {
		t.Errorf("clause 3 = %d %s %s %q", cl[2].Ordinal, cl[2].Number, cl[2].Label, cl[2].Title)
	}
	if cl[0].Label != "（一）" {
		t.Errorf("clause 1 label %q", cl[0].Label)
	}
	if len(cl[1].Ends) != 1 || cl[1].Ends[0].Date.Format(time.DateOnly) != "2024-12-31" {
		t.Errorf("clause 2 ends %v", cl[1].Ends)
	}
}

func TestParseRejects(t *testing.T) {
	vocab := &kb.Vocabulary{}
	for name, raw := range map[string]string{
		"empty":       "",
		"blank":       "\n\n   \n",
		"no clauses":  "关于测试的通知\n\n这是一段没有条款的文字。\n",
		"binary-ish":  "\x00\x01\x02",
		"only title":  "重庆市关于某事的通知",
		"parts alone": "关于测试的通知\n\n一、第一部分\n\n二、第二部分\n",
	} {
		if _, err := kb.Parse("x", raw, vocab); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

// TestLayout covers the PDF's habits one by one on a small notice.
func TestLayout(t *testing.T) {
	raw := "\uFEFF\r\n关于测试就业措施的通\r\n\r\n知\r\n\r\n一、第一部分\r\n\r\n（一）措施一。对吸纳高校毕业生稳定就业 6个月以上的企业给予 2000元/人\r\n\r\n补贴，政策执行至 2023年 4月\f 30日。\r\n\r\n（二）措施二。进一\n\n\n\n步做好服务。\n"
	d, err := kb.Parse("t", raw, &kb.Vocabulary{Groups: []string{"高校毕业生"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "关于测试就业措施的通知" {
		t.Errorf("title %q", d.Title)
	}
	cl := d.Clauses()
	if len(cl) != 2 {
		t.Fatalf("%d clauses", len(cl))
	}
	if got := cl[0].Sentences[0].Text; got != "对吸纳高校毕业生稳定就业6个月以上的企业给予2000元/人补贴，政策执行至2023年4月30日。" {
		t.Errorf("sentence %q", got)
	}
	if got := cl[1].Sentences[0].Text; got != "进一步做好服务。" {
		t.Errorf("broken word not joined: %q", got)
	}
}
