package reading_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"policybot/corpus"
	"policybot/kb"
	"policybot/reading"
)

// today is the day tests read relative dates against, as the dialogue tests do.
var today = time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local)

var reader = sync.OnceValues(func() (*reading.Reader, error) {
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		return nil, err
	}
	return reading.Open(c)
})

func newReader(tb testing.TB) *reading.Reader {
	tb.Helper()
	r, err := reader()
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// read reads text as a first message, or as the reply to pending.
func read(tb testing.TB, text, pending string) *reading.Reading {
	tb.Helper()
	return newReader(tb).Read(context.Background(), text, reading.Context{Pending: pending, Today: today})
}

// The cases of the issue that asked for a reading stage, and the kinds of
// wording it names: each states what must be read, what must not, and what
// is only a topic.
func TestReadCases(t *testing.T) {
	tests := []struct {
		text, pending string
		want          map[string]any // facts asserted
		not           []string       // facts that must not be asserted
		topics        []string       // facts named but not asserted
		question      bool
	}{
		{text: "我们是一家50人的小型企业，今年招了3个应届高校毕业生，都已经稳定工作7个月了，没有招脱贫人口和残疾人。",
			want: map[string]any{"role": "employer", "employer_type": "enterprise", "enterprise_size": "small", "staff_count": int64(50),
				"graduates_hired": int64(3), "graduates_stayed_6m": true, "key_group_hires": int64(0), "hired_hard_to_employ": false},
			not: []string{"poverty_alleviated", "disabled"}},
		{text: "我2022年3月失业了，参加过失业保险，但是不符合领取失业保险金的条件",
			want: map[string]any{"employment_status": "unemployed", "unemployed_2022": true, "receiving_ui_benefit": false}},
		{text: "退捕渔民就业有帮扶吗", not: []string{"other_key_group"}, topics: []string{"other_key_group"}, question: true},
		{text: "我今年30岁，在国企上班，工作很稳定，没有失业，也不打算创业",
			want: map[string]any{"age": int64(30), "employment_status": "employed"}},
		{text: "招一个应届毕业生能拿多少补贴", not: []string{"graduate", "graduates_hired", "role"}, question: true},
		{text: "不是脱贫户", want: map[string]any{"poverty_alleviated": false}},
		{text: "我还没登记失业", want: map[string]any{"registered_unemployed": false}},
		{text: "好像是脱贫户吧", not: []string{"poverty_alleviated"}},
		{text: "我可能算困难企业", not: []string{"difficult_enterprise"}},
		{text: "我是脱贫户，想去外省打工，有没有补贴", want: map[string]any{"poverty_alleviated": true}, question: true},
		{text: "我儿子是残疾人，他能领什么", not: []string{"disabled"}, topics: []string{"disabled"}, question: true},
		{text: "如果我是退役军人能享受什么", not: []string{"veteran"}, question: true},
		{text: "我不是没交过社保", not: []string{"pays_si_personally"}},
		{text: "我们公司二十来号人", want: map[string]any{"staff_count": int64(20), "role": "employer"}},
		{text: "我不是农民工，是城里人", want: map[string]any{"migrant_worker": "no"}},
		{text: "是农民工", pending: "migrant_worker", not: []string{"migrant_worker"}},
		{text: "我老婆不是残疾人，我是", want: map[string]any{"disabled": true}},
		{text: "以前是低保户，后来取消了", want: map[string]any{"low_income_family": false}},
		{text: "当兵？没当过", pending: "veteran", want: map[string]any{"veteran": false}},
		{text: "我不是快递员也不是骑手，在工厂上班", want: map[string]any{"new_form_worker": "no"}},
		{text: "我不是快递员，是跑外卖的", want: map[string]any{"new_form_worker": "platform"}},
		{text: "工资没拖欠，歧视也没遇到过", pending: "labour_dispute", want: map[string]any{"labour_dispute": false}},
		{text: "老板没欠工资，也没啥劳动纠纷", want: map[string]any{"labour_dispute": false}},
		{text: "没有被欠薪，但是被歧视了", want: map[string]any{"labour_dispute": true}},
		{text: "我想去外省打工，我是脱贫户", want: map[string]any{"poverty_alleviated": true}, not: []string{"migrant_worker"}},
		{text: "准备创业但还没开始，想贷款二十万", want: map[string]any{"employment_status": "business", "loan_amount": int64(20)}},
		{text: "来电单位为社会服务机构，职工22人，咨询稳岗返还", want: map[string]any{"role": "employer", "employer_type": "social_org", "staff_count": int64(22)}, question: true},
		{text: "来电女士称去年被公司辞退，未办理失业登记", want: map[string]any{"employment_status": "unemployed", "registered_unemployed": false, "unemployed_2022": false}},
		{text: "没残疾证 但是是退伍军人 想问下创业贷款", want: map[string]any{"veteran": true, "disabled": false}, question: true},
		{text: "是的！👍", pending: "veteran", want: map[string]any{"veteran": true}},
		{text: "我1975年出生的，女", want: map[string]any{"age": int64(51), "gender": "female"}},
		{text: "我们2025年招的应届毕业生的补贴", not: []string{"age"}},
		{text: "我不曾领过任何失业保险金", want: map[string]any{"receiving_ui_benefit": false}, not: []string{"ui_months"}},
		{text: "我是农民工", not: []string{"migrant_worker"}, topics: []string{"migrant_worker"}},
		{text: "我不是脱贫户但是有残疾证", want: map[string]any{"poverty_alleviated": false, "disabled": true}},
		{text: "残疾人也没有", pending: "hired_hard_to_employ", want: map[string]any{"hired_hard_to_employ": false}},
		{text: "我去年毕业的，还没找到工作", want: map[string]any{"graduate": "within_2_years", "employment_status": "unemployed"}},
		{text: "2025年毕业", want: map[string]any{"graduate": "within_2_years"}},
		{text: "我今年刚毕业", want: map[string]any{"graduate": "graduation_year"}},
		{text: "毕业三年多了", want: map[string]any{"graduate": "over_2_years"}},
		{text: "交了两年失业保险", want: map[string]any{"ui_months": int64(24)}},
		{text: "七个多月了", pending: "graduates_stayed_6m", want: map[string]any{"graduates_stayed_6m": true}},
		{text: "还不到半年", pending: "graduates_stayed_6m", want: map[string]any{"graduates_stayed_6m": false}},
		{text: "我们公司一百多人", want: map[string]any{"staff_count": int64(100)}},
		{text: "We hired three fresh graduates this year and have no disabled staff",
			want: map[string]any{"graduates_hired": int64(3), "hired_hard_to_employ": false}},
		{text: "I am not a migrant worker", want: map[string]any{"migrant_worker": "no"}},
		{text: "我們公司招了三個應屆生", want: map[string]any{"graduates_hired": int64(3), "role": "employer"}},
		{text: "是的", pending: "veteran", want: map[string]any{"veteran": true}},
		{text: "不是", pending: "disabled", want: map[string]any{"disabled": false}},
		{text: "小型的", pending: "enterprise_size", want: map[string]any{"enterprise_size": "small"}},
		{text: "20来个", pending: "staff_count", want: map[string]any{"staff_count": int64(20)}},
		{text: "应届生补贴", not: []string{"graduate"}, topics: []string{"graduate"}},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			got := read(t, tc.text, tc.pending)
			asserted := got.Asserted()
			for k, v := range tc.want {
				if asserted[k] != v {
					t.Errorf("%s = %#v, want %#v\n%s", k, asserted[k], v, describe(got))
				}
			}
			for _, k := range tc.not {
				if v, ok := asserted[k]; ok {
					t.Errorf("%s read as %v, want nothing\n%s", k, v, describe(got))
				}
			}
			for _, k := range tc.topics {
				if !contains(got.Topics, k) {
					t.Errorf("%s not among the topics %v", k, got.Topics)
				}
			}
			if got.Question != tc.question {
				t.Errorf("question = %v, want %v", got.Question, tc.question)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func describe(r *reading.Reading) string {
	s := fmt.Sprintf("intent %q question %v topics %v\n", r.Intent, r.Question, r.Topics)
	for _, f := range r.Facts {
		s += fmt.Sprintf("  %s = %v (negated %v, %s, %q)\n", f.Key, f.Value, f.Negated, f.Certainty, f.Words)
	}
	return s
}
