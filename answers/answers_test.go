package answers_test

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"policybot/answers"
	"policybot/corpus"
	"policybot/kb"
	"policybot/retrieval"
)

var (
	stackOnce sync.Once
	retriever *retrieval.Retriever
	replies   *answers.Replies
	stackErr  error
)

// answerer returns an answerer over the embedded corpus for a given today.
func answerer(t testing.TB, today string) *answers.Answerer {
	t.Helper()
	stackOnce.Do(func() {
		c, err := kb.Load(corpus.Embedded())
		if err != nil {
			stackErr = err
			return
		}
		if retriever, stackErr = retrieval.Open(c, "", kb.AnalysisWords); stackErr != nil {
			return
		}
		replies, stackErr = answers.LoadReplies(corpus.Embedded())
	})
	if stackErr != nil {
		t.Fatal(stackErr)
	}
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		t.Fatal(err)
	}
	return answers.New(retriever, replies, func() time.Time { return day })
}

func ask(t *testing.T, a *answers.Answerer, q string) (*answers.Answer, string) {
	t.Helper()
	ans, err := a.Ask(context.Background(), q)
	if err != nil {
		t.Fatalf("Ask(%q): %v", q, err)
	}
	return ans, a.Replies().Text(ans)
}

func TestAnswerQuotesAndCites(t *testing.T) {
	a := answerer(t, "2026-11-26")
	ans, reply := ask(t, a, "我们公司招了3个应届生，有什么补贴？")
	if ans.Status != answers.Answered {
		t.Fatalf("status %s: %s", ans.Status, ans.Reason)
	}
	cites := ans.Citations()
	if cites[0].Doc != "cq-2022-employment-measures" || cites[0].Clause != 3 || cites[0].Title != "降低企业用工成本" {
		t.Errorf("first citation %+v", cites[0])
	}
	if !strings.Contains(cites[0].Quote, "2000元/人一次性吸纳就业补贴") {
		t.Errorf("quote %q lacks the sentence that answers", cites[0].Quote)
	}
	for _, want := range []string{"【2000元/人】", "出处：《关于进一步稳定和扩大就业若干政策措施的通知》（三）降低企业用工成本", "2022年6月2日发布", "12333"} {
		if !strings.Contains(reply, want) {
			t.Errorf("reply lacks %q:\n%s", want, reply)
		}
	}
	// A phone screen: the quote, its citation and the later document that
	// changed it (2023's list of subsidies), with the day that was checked.
	if n := utf8.RuneCountInString(reply); n > 450 {
		t.Errorf("reply is %d characters; a phone screen is less", n)
	}
}

// Of two clauses that match a question about equally well, the one whose
// sentence states the kind of figure asked for answers first: 最多能贷多少
// asks for a ceiling, which clause 4 states (最高300万元) and clause 11,
// with its 10万元以下 loans, does not. A question that asks for no figure
// keeps retrieval's order, and cites the related clause.
func TestFigureAskedForAnswersFirst(t *testing.T) {
	a := answerer(t, "2026-11-26")
	tests := []struct {
		q     string
		first int
		also  int    // a clause still cited after it, or 0
		quote string // in the first quote
	}{
		{"创业担保贷款最多能贷多少", 4, 0, "最高300万元"},
		{"创业担保贷款最高能贷多少钱", 4, 0, "最高300万元"},
		{"How much can I borrow at most with a guaranteed business loan?", 4, 0, "最高300万元"},
		{"创业担保贷款贴息", 11, 4, "创业担保贷款贴息"},
		{"创业担保贷款贴息有哪些", 11, 0, "创业担保贷款贴息"},
	}
	for _, tc := range tests {
		t.Run(tc.q, func(t *testing.T) {
			ans, _ := ask(t, a, tc.q)
			cites := ans.Citations()
			if len(cites) == 0 || cites[0].Clause != tc.first || !strings.Contains(cites[0].Quote, tc.quote) {
				t.Fatalf("cites %+v; want clause %d first, quoting %q", cites, tc.first, tc.quote)
			}
			if tc.also != 0 && !slices.ContainsFunc(cites, func(c answers.Citation) bool { return c.Clause == tc.also }) {
				t.Errorf("cites %+v; want clause %d among them", cites, tc.also)
			}
		})
	}
}

// TestExpired: a measure whose end date has passed says so and since when:
// the notice's own end while nothing later is known, then the end of the
// latest later document (the 1% rate ran on to the end of 2025).
func TestExpired(t *testing.T) {
	q := "失业保险费率降到1%执行到什么时候"
	_, between := ask(t, answerer(t, "2023-06-01"), q)
	if !strings.Contains(between, "该措施已于2023年4月30日到期") {
		t.Errorf("in June 2023 the reply must say the rate expired on 2023-04-30:\n%s", between)
	}
	_, now := ask(t, answerer(t, "2026-11-26"), q)
	for _, want := range []string{"人社部发〔2024〕40号", "期限已于2025年12月31日结束", "未查到更新的文件"} {
		if !strings.Contains(now, want) {
			t.Errorf("in 2026 the reply must say the rate ran to the end of 2025 and nothing newer is known (%q):\n%s", want, now)
		}
	}
	if strings.Contains(now, "现已不再执行") {
		t.Errorf("in 2026 the reply must not say the rate stopped in 2023:\n%s", now)
	}
	_, then := ask(t, answerer(t, "2022-07-01"), q)
	if strings.Contains(then, "到期") {
		t.Errorf("in July 2022 the measure was in force:\n%s", then)
	}
	// The deferral in the same clause has no end date: no warning.
	_, deferral := ask(t, answerer(t, "2026-11-26"), "困难企业缓缴养老保险")
	if strings.Contains(deferral, "到期") {
		t.Errorf("the deferral states no end date:\n%s", deferral)
	}
}

func TestNoAnswer(t *testing.T) {
	a := answerer(t, "2026-11-26")
	ans, reply := ask(t, a, "重庆明天会下雨吗")
	if ans.Status != answers.NoAnswer || len(ans.Citations()) != 0 {
		t.Fatalf("status %s with %d citations", ans.Status, len(ans.Citations()))
	}
	for _, want := range []string{"12333", "稳定市场主体就业岗位", "鼓励自主创业和灵活就业"} {
		if !strings.Contains(reply, want) {
			t.Errorf("no-answer reply lacks %q: %s", want, reply)
		}
	}
}

func TestEnglishFraming(t *testing.T) {
	_, reply := ask(t, answerer(t, "2026-11-26"), "what is the unemployment insurance rate")
	for _, want := range []string{"Source:", "ended on 31 December 2025", "人社部发〔2024〕40号", "issued on 2 June 2022", "1%"} {
		if !strings.Contains(reply, want) {
			t.Errorf("English reply lacks %q:\n%s", want, reply)
		}
	}
}

func TestRelatedClauses(t *testing.T) {
	ans, reply := ask(t, answerer(t, "2026-11-26"), "创业担保贷款贴息")
	refs := ans.Refs()
	if len(refs) < 2 {
		t.Fatalf("citations %v: the loan appears in clauses 4 and 11", refs)
	}
	if !strings.Contains(reply, "相关条款") {
		t.Errorf("reply does not point to the related clause:\n%s", reply)
	}
}

func TestSpans(t *testing.T) {
	s := kb.Sentence{Text: "按规定给予2000元/人一次性吸纳就业补贴。"}
	s.Mentions = kb.Extract(s.Text, nil)
	spans := answers.Spans(s)
	var figures []string
	var all string
	for _, sp := range spans {
		all += sp.Text
		if sp.Figure {
			figures = append(figures, sp.Text)
		}
	}
	if all != s.Text || len(figures) != 1 || figures[0] != "2000元/人" {
		t.Errorf("spans %+v", spans)
	}
	if got := answers.Highlight(s); got != "按规定给予【2000元/人】一次性吸纳就业补贴。" {
		t.Errorf("Highlight = %q", got)
	}
}

// TestNotStated: asked for a figure the notice does not give, the reply
// says so instead of leaving the reader to search the quote.
func TestNotStated(t *testing.T) {
	a := answerer(t, "2026-11-26")
	ans, reply := ask(t, a, "一次性扩岗补助的标准是每人多少元？")
	if !ans.NotStated || ans.Deferral != "实施细则另行制定" || !strings.Contains(reply, "通知提到了一次性扩岗补助，但没有写明具体金额或标准") {
		t.Errorf("NotStated %v deferral %q:\n%s", ans.NotStated, ans.Deferral, reply)
	}
	ans, _ = ask(t, a, "稳岗返还比例是多少")
	if ans.NotStated {
		t.Error("the refund ratio (50%) is stated, yet the reply says it is not")
	}
	ans, _ = ask(t, a, "一次性扩岗补助是什么")
	if ans.NotStated {
		t.Error("a question that asks for no figure was told the figure is missing")
	}
}

// A figure a question may ask for must be a kind of figure the notice's
// sentences are read for, and have cues.
func TestLoadRepliesRejectsFigureAsks(t *testing.T) {
	base, err := fs.ReadFile(corpus.Embedded(), answers.RepliesFile)
	if err != nil {
		t.Fatal(err)
	}
	for name, ask := range map[string]string{
		"not a figure": "{cues: [哪些人], kind: group}",
		"no cues":      "{cues: [], kind: amount}",
	} {
		data := strings.Replace(string(base), "  figure_asks:\n", "  figure_asks:\n    - "+ask+"\n", 1)
		if _, err := answers.LoadReplies(fstest.MapFS{answers.RepliesFile: {Data: []byte(data)}}); err == nil || !strings.Contains(err.Error(), "figure_asks") {
			t.Errorf("%s: LoadReplies error %v, want one about figure_asks", name, err)
		}
	}
}

// The cases at the top of issue 9, as a new user asks them.
func TestIssueNineCases(t *testing.T) {
	a := answerer(t, "2026-11-26")
	answered := []struct {
		q      string
		clause int
		reply  []string // in the reply
	}{
		// What answers 能拿多少 is the clause stating an amount for what it names.
		{"招一个应届毕业生能拿多少补贴", 3, []string{"【2000元/人】", "一次性吸纳就业补贴"}},
		{"招应届毕业生有补贴吗", 3, []string{"2000元/人"}},
		{"吸纳应届毕业生补贴多少", 3, []string{"【2000元/人】"}},
		// 外省 is where the person goes to work, not the policy asked about.
		{"脱贫户去外省打工有交通补助吗", 8, []string{"跨区域交通补助"}},
		{"我是脱贫户，想去外省打工，有没有补贴", 8, nil},
		{"缓缴社保包括医疗保险吗", 1, []string{"缓缴养老保险、失业保险、工伤保险费"}},
		{"退捕渔民就业有帮扶吗", 10, []string{"退捕渔民"}},
		{"找工作被问婚育情况，被拒绝了", 17, []string{"就业歧视"}},
	}
	for _, tc := range answered {
		t.Run(tc.q, func(t *testing.T) {
			ans, reply := ask(t, a, tc.q)
			if ans.Status != answers.Answered {
				t.Fatalf("refused (%s)", ans.Reason)
			}
			if c := ans.Citations()[0].Clause; c != tc.clause {
				t.Errorf("first clause %d, want %d:\n%s", c, tc.clause, reply)
			}
			for _, want := range tc.reply {
				if !strings.Contains(reply, want) {
					t.Errorf("reply lacks %q:\n%s", want, reply)
				}
			}
		})
	}
	t.Run("another region", func(t *testing.T) {
		ans, reply := ask(t, a, "我在成都，能享受这个政策吗")
		if ans.Status != answers.NoAnswer || ans.Place != "成都" {
			t.Fatalf("status %s, place %q", ans.Status, ans.Place)
		}
		for _, want := range []string{"重庆市的政策", "适用于重庆市", "成都", "12333"} {
			if !strings.Contains(reply, want) {
				t.Errorf("reply lacks %q: %s", want, reply)
			}
		}
	})
	t.Run("unstated figure", func(t *testing.T) {
		ans, reply := ask(t, a, "一次性创业补贴具体发多少钱")
		if ans.Status != answers.Answered || ans.Citations()[0].Clause != 11 {
			t.Fatalf("status %s, citations %v", ans.Status, ans.Refs())
		}
		if !ans.NotStated || !strings.Contains(reply, "通知提到了一次性创业补贴，但没有写明具体金额或标准") {
			t.Errorf("the reply must say the subsidy is named but its amount not stated:\n%s", reply)
		}
		if strings.Contains(reply, "【") {
			t.Errorf("the reply marks a figure that is not the subsidy's:\n%s", reply)
		}
	})
}

// A place someone goes to or comes from is not a question about that
// place's policy; a place asked about is, in Chinese and English.
func TestPlaces(t *testing.T) {
	a := answerer(t, "2026-11-26")
	for q, place := range map[string]string{
		"北京应届毕业生补贴多少":                                  "北京",
		"成都对招用应届毕业生的企业有什么补贴？":                          "成都",
		"What subsidies does Shanghai give employers?": "shanghai",
	} {
		if ans, _ := ask(t, a, q); ans.Status != answers.NoAnswer || ans.Place != place {
			t.Errorf("%q: status %s place %q, want refused for %s", q, ans.Status, ans.Place, place)
		}
	}
	for _, q := range []string{"我是四川人，在重庆招了两个应届生，有补贴吗", "从外省回来的农民工返乡创业有什么扶持"} {
		if ans, _ := ask(t, a, q); ans.Status != answers.Answered {
			t.Errorf("%q refused (%s)", q, ans.Reason)
		}
	}
}
