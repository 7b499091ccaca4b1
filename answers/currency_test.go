package answers_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/corpus"
	"policybot/kb"
	"policybot/retrieval"
)

// lateDay is a day of late 2026, when the registry's documents are out.
const lateDay = "2026-11-26"

// currencyCase is a question about what is current, asked as people ask
// it, and what the reply must then show.
type currencyCase struct {
	q      string
	clause int      // the clause the answer quotes
	names  []string // the later documents named (number, or title without one)
	says   []string // further substrings of the reply
	// changed says a later document changed the quoted terms; stale lists
	// figures of the quote that are no longer today's (some changed terms
	// keep the figure: 2000元/人 with wider conditions).
	changed bool
	stale   []string
}

// currencyCases asks about every clause for which the registry holds a
// document users may be told of; TestAskedTheWayPeopleAsk fails when a
// clause of the registry has no case.
var currencyCases = []currencyCase{
	{q: "失业保险费率现在还是1%吗", clause: 1, names: []string{"人社部发〔2024〕40号"},
		says: []string{"期限已于2025年12月31日结束", "未查到更新的文件"}},
	{q: "稳岗返还今年比例多少", clause: 2, names: []string{"渝人社规〔2025〕10号"},
		says: []string{"【10%】", "【20%】"}, changed: true, stale: []string{"50%", "30%"}},
	{q: "我们是大型企业，稳岗返还现在还有吗", clause: 2, names: []string{"渝人社规〔2025〕10号"}, changed: true, stale: []string{"50%", "30%"}},
	{q: "招应届生的一次性吸纳就业补贴现在还有吗", clause: 3, names: []string{"重庆人社助企纾困政策服务包（2023版）"},
		says: []string{"【2000元/人】", "【6000元/人】"}, changed: true},
	{q: "小微企业创业担保贷款最多能贷多少", clause: 4, names: []string{"渝人社规〔2025〕11号"},
		says: []string{"【600万元】", "【1.75%】"}, changed: true, stale: []string{"300万元", "LPR－150BP", "15%"}},
	{q: "今年的高校毕业生就业岗位有多少", clause: 6, names: []string{"渝府办发〔2025〕10号", "渝府办发〔2024〕35号"},
		says: []string{"【40万人以上】", "期限已于2025年12月31日结束"}},
	{q: "脱贫人口跨区域就业的交通补助现在还有吗", clause: 8, names: []string{"渝人社〔2022〕281号"},
		says: []string{"【50元】", "【200元】"}},
	{q: "个人创业担保贷款最多能贷多少", clause: 11, names: []string{"渝人社规〔2025〕11号"}, says: []string{"【50万元】"}, changed: true},
	{q: "灵活就业社保补贴现在还有吗", clause: 13, names: []string{"重庆人社助企纾困政策服务包（2023版）"}, says: []string{"【2/3】"}},
	{q: "零工市场现在有多少家", clause: 13, names: []string{"渝人社发〔2026〕1号"}, says: []string{"【100个以上】"}},
	{q: "技能提升补贴还能申请吗", clause: 14, names: []string{"人社部发〔2024〕40号"},
		says: []string{"期限已于2024年12月31日结束", "未查到更新的文件"}},
	{q: "免费的职业介绍和政策咨询现在还有吗", clause: 15, names: []string{"渝人社发〔2026〕1号"}, says: []string{"【200个以上】"}},
	{q: "职业介绍补贴现在是多少", clause: 16, names: []string{"重庆人社助企纾困政策服务包（2023版）"}, says: []string{"【每人200元】"}},
}

// TestAskedTheWayPeopleAsk: for every measure with an official newer
// document, a question asked the way people ask (现在还有吗, 今年比例多少,
// 最多能贷多少) gets a reply that leads with the later document, names it,
// and presents none of the notice's replaced figures as current: they
// appear only in the quote labelled as 2022's, unmarked.
func TestAskedTheWayPeopleAsk(t *testing.T) {
	a := answerer(t, lateDay)
	reg := a.Retriever().Corpus().Currency["cq-2022-employment-measures"]
	covered := map[int]bool{}
	for _, tc := range currencyCases {
		covered[tc.clause] = true
		t.Run(tc.q, func(t *testing.T) {
			ans, reply := ask(t, a, tc.q)
			if ans.Status != answers.Answered || ans.Quotes[0].Clause.Ordinal != tc.clause {
				t.Fatalf("status %s, cites %v; want clause %d", ans.Status, ans.Refs(), tc.clause)
			}
			lines := strings.Split(reply, "\n")
			if !(ans.AsksCurrent || ans.Later.Stale()) || !strings.HasPrefix(lines[0], "后续文件（政策更新登记）") {
				t.Errorf("asked what is current, or about changed terms: the reply must lead with the registry:\n%s", reply)
			}
			for _, want := range slices.Concat(tc.names, tc.says) {
				if !strings.Contains(reply, want) {
					t.Errorf("reply lacks %q:\n%s", want, reply)
				}
			}
			quote := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "“") })
			if ans.Later.Stale() != tc.changed {
				t.Fatalf("quoted terms changed %v, want %v", ans.Later.Stale(), tc.changed)
			}
			if !tc.changed {
				return
			}
			if quote < 1 || !strings.HasPrefix(lines[quote-1], "2022年原文") || strings.Contains(lines[quote], "【") {
				t.Errorf("the notice's quote must follow the label that it is 2022's, its figures unmarked:\n%s", reply)
			}
			for _, fig := range tc.stale {
				for i, l := range lines {
					if i != quote && strings.Contains(l, fig) {
						t.Errorf("the replaced figure %q is presented outside the 2022 quote: %q", fig, l)
					}
				}
				if !strings.Contains(lines[quote], fig) {
					t.Errorf("the quote does not hold %q; the case tests nothing", fig)
				}
			}
		})
	}
	for _, d := range reg.Documents {
		for _, m := range d.Measures {
			if d.Visible() && !covered[m.Clause] {
				t.Errorf("%s (%s) bears on clause %d, which no case asks about", d.ID, d.Number, m.Clause)
			}
		}
	}
}

// Measures that ended with nothing newer say so, and when the registry was
// checked; asked in English, the later document is named in English.
func TestEndedAndEnglish(t *testing.T) {
	a := answerer(t, lateDay)
	_, reply := ask(t, a, "失业补助金现在还能领吗")
	for _, want := range []string{"该措施已于2022年12月31日到期", "政策更新登记（核对于2026年12月2日）未收录延续本项的文件"} {
		if !strings.Contains(reply, want) {
			t.Errorf("reply lacks %q:\n%s", want, reply)
		}
	}
	_, reply = ask(t, a, "招用重点群体7800元减免现在还有吗") // a lead only: nobody is told of it
	if !strings.Contains(reply, "未收录本项的后续文件") || strings.Contains(reply, "2023年第15号") {
		t.Errorf("a measure without an official later document:\n%s", reply)
	}
	_, reply = ask(t, a, "Is the job retention refund still available this year?")
	for _, want := range []string{"Later documents (policy update registry):", "渝人社规〔2025〕10号", "June 2025", "10% of last year", "are not current"} {
		if !strings.Contains(reply, want) {
			t.Errorf("English reply lacks %q:\n%s", want, reply)
		}
	}
}

// A question that does not ask what is current gets the quote first and
// the later document under it, unless that document changed the quoted
// terms; asked as of 2022, nothing later is known, and nothing is claimed
// of the registry either.
func TestRegistryPlacement(t *testing.T) {
	_, reply := ask(t, answerer(t, lateDay), "灵活就业社保补贴怎么补")
	lines := strings.Split(reply, "\n")
	if !strings.HasPrefix(lines[0], "“") || !strings.Contains(reply, "\n后续文件（政策更新登记）：\n·《重庆人社助企纾困政策服务包（2023版）》（2023年7月28日）") {
		t.Errorf("quote first, then the later document:\n%s", reply)
	}
	ans, reply := ask(t, answerer(t, "2022-07-01"), "小微企业创业担保贷款最多能贷多少")
	if len(ans.Later.Measures) != 0 || ans.Later.Stale() || !strings.Contains(reply, "【最高300万元】") ||
		!strings.Contains(reply, "政策可能已调整") || strings.Contains(reply, "政策更新登记") {
		t.Errorf("in 2022 the notice's terms were today's:\n%s", reply)
	}
}

// A phrased reply carries the registry's lines as the extractive one does,
// and a model may state a later document's figures only by citing its line:
// the verifier treats a registry line as a source.
func TestRegistryLinesAreSources(t *testing.T) {
	st := answerstest.Open(t)
	a := answerer(t, lateDay)
	ans, _ := ask(t, a, "小微企业创业担保贷款最多能贷多少")
	req := answers.NewPhraseRequest(ans, nil)
	n := slices.IndexFunc(req.Sources, func(s answers.Source) bool { return strings.HasPrefix(s.Title, "政策更新登记") })
	if n < 1 || !strings.Contains(req.Sources[n].Title, "渝人社规〔2025〕11号") || req.Sources[n].Issued.Year() != 2025 {
		t.Fatalf("sources %+v: want the registry's line after the notice's sentences", req.Sources)
	}
	registry, notice := "["+strconv.Itoa(n+1)+"]", "[1]"
	cases := []struct{ text, reject string }{
		{"按渝人社规〔2025〕11号，小微企业创业担保贷款上限由400万元提到600万元" + registry + "。", ""},
		{"小微企业创业担保贷款上限提到800万元" + registry + "。", "800万元"},
		{"小微企业创业担保贷款上限提到600万元" + notice + "。", "600万元"},
		{"2022年通知规定小微企业最高可贷300万元" + notice + "。", ""},
	}
	for _, c := range cases {
		_, err := st.Verifier.Verify(answers.Phrased{Text: c.text, Cited: answers.CitedSources(c.text)}, req)
		var rej *answers.Rejection
		switch {
		case c.reject == "" && err != nil:
			t.Errorf("%s: rejected: %v", c.text, err)
		case c.reject != "" && (!errors.As(err, &rej) || !strings.Contains(rej.Error(), c.reject)):
			t.Errorf("%s: %v, want a rejection of %s", c.text, err, c.reject)
		}
	}
	phrased := a.Replies().WithCitations(ans, "小微企业创业担保贷款上限提到600万元。")
	if !strings.Contains(phrased, "渝人社规〔2025〕11号") || strings.Contains(phrased, "2022年原文") {
		t.Errorf("a phrased reply keeps the registry's lines and drops the label of a quote it does not show:\n%s", phrased)
	}
}

// TestRegistryIsData adds documents to a copy of the registry and sees
// answers and verdicts change, with no code change: a 2026 notice that
// changes the skills subsidy supersedes it, one that ends the flexible-work
// social insurance subsidy makes it expired.
func TestRegistryIsData(t *testing.T) {
	const id = "cq-2022-employment-measures"
	dir := t.TempDir()
	for _, name := range []string{id + ".txt", id + ".meta.yaml", id + ".rules.yaml", id + ".currency.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == id+".currency.yaml" {
			data = append(data, `
  - id: test-2026-skills
    number: 渝人社规〔2026〕99号
    title: 关于2026年技能提升补贴的测试通知
    issuer: 测试
    date: 2026-09-01
    source: https://example.gov.cn/2026/skills.html
    confidence: official
    verified: 2026-12-02, a test document
    measures:
      - clause: 14
        rules: [skills_upgrade_subsidy]
        effect: changes
        period: {end: 2026-12-31}
        change: 2026年技能提升补贴每人每年最多申领2次，初级补贴800元。
        change_en: "In 2026 the skills subsidy may be claimed twice a year; 800 yuan for a junior certificate."
  - id: test-2026-flexible
    number: 渝人社规〔2026〕98号
    title: 关于停止灵活就业社保补贴的测试通知
    issuer: 测试
    date: 2026-10-01
    source: https://example.gov.cn/2026/flexible.html
    confidence: official
    verified: 2026-12-02, a test document
    measures:
      - clause: 13
        rules: [flexible_employment_social_insurance_subsidy]
        effect: ends
        change: 灵活就业社保补贴自2026年10月1日起不再受理新申请。
        change_en: "No new claims for the flexible-work social insurance subsidy from 1 October 2026."
`...)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := corpus.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := kb.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	r, err := retrieval.Open(c, "", kb.AnalysisWords)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	replies, err := answers.LoadReplies(fsys)
	if err != nil {
		t.Fatal(err)
	}
	day, _ := time.Parse(time.DateOnly, lateDay)
	now := func() time.Time { return day }
	changed := answers.New(r, replies, now)
	e, err := answers.NewEvaluator(c, now)
	if err != nil {
		t.Fatal(err)
	}
	before := newEligibility(t, later)

	skills := with(individual, map[string]any{"ui_months": 24})
	if v := verdictOf(t, before, "skills_upgrade_subsidy", skills); v.Status != answers.Expired {
		t.Fatalf("before: skills subsidy %s", v.Status)
	}
	v := verdictOf(t, e, "skills_upgrade_subsidy", skills)
	if v.Status != answers.Superseded || v.Current == nil || v.Current.Number != "渝人社规〔2026〕99号" || !strings.Contains(v.Why, "初级补贴800元") {
		t.Errorf("after: skills subsidy %s, current %+v, why %q", v.Status, v.Current, v.Why)
	}
	flexible := with(individual, map[string]any{"graduate": "within_2_years", "employment_status": "flexible", "pays_si_personally": true})
	if v := verdictOf(t, before, "flexible_employment_social_insurance_subsidy", flexible); v.Status != answers.Eligible {
		t.Fatalf("before: flexible-work subsidy %s", v.Status)
	}
	v = verdictOf(t, e, "flexible_employment_social_insurance_subsidy", flexible)
	if v.Status != answers.Expired || v.Ended == nil || v.Ended.Format(time.DateOnly) != "2026-10-01" || !strings.Contains(v.Why, "渝人社规〔2026〕98号") {
		t.Errorf("after: flexible-work subsidy %s, ended %v, why %q", v.Status, v.Ended, v.Why)
	}

	ans, err := changed.Ask(context.Background(), "技能提升补贴还能申请吗")
	if err != nil {
		t.Fatal(err)
	}
	reply := replies.Text(ans)
	if !strings.Contains(reply, "渝人社规〔2026〕99号") || !strings.Contains(reply, "【800元】") || strings.Contains(reply, "未查到更新的文件") {
		t.Errorf("after: the reply must name the new document as current:\n%s", reply)
	}
}
