package answers_test

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/kb"
)

// employerFacts is a schema of the shape the dialogue will use.
var employerFacts = []answers.FactSpec{
	{Key: "employer_size", Type: answers.FactEnum, Values: []string{"micro", "small", "medium", "large"}, Question: "企业规模？"},
	{Key: "hires_graduates", Type: answers.FactBool, Question: "是否招用应届高校毕业生？"},
	{Key: "graduates_hired", Type: answers.FactInt, Question: "招了几名？"},
	{Key: "months_employed", Type: answers.FactInt, Question: "已稳定就业几个月？"},
	{Key: "graduation_date", Type: answers.FactDate, Question: "毕业日期？"},
	{Key: "monthly_wage", Type: answers.FactNumber, Question: "月工资？"},
	{Key: "loan_amount", Type: answers.FactInt, Unit: "万元", Question: "贷款多少万元？"},
}

func TestFacts(t *testing.T) {
	st := answerstest.Open(t)
	cases := []struct {
		name     string
		message  string
		history  []answers.Message
		proposed string // JSON, as a model replies
		kept     map[string]any
		dropped  map[string]string // key → part of the reason
	}{
		{
			name:     "allowed values kept",
			message:  "我们是一家小企业，今年招了三个应届生，工资每月4500元",
			proposed: `{"employer_size":"small","hires_graduates":true,"graduates_hired":3,"months_employed":null,"graduation_date":null,"monthly_wage":4500}`,
			kept:     map[string]any{"employer_size": "small", "hires_graduates": true, "graduates_hired": int64(3), "monthly_wage": 4500.0},
		},
		{
			name:     "value outside the enum",
			message:  "我们公司规模很大",
			proposed: `{"employer_size":"huge","hires_graduates":null}`,
			dropped:  map[string]string{"employer_size": `"huge" is not one of`},
		},
		{
			name:     "wrong types",
			message:  "招了3个应届生，干了六个月",
			proposed: `{"hires_graduates":"yes","graduates_hired":3.5,"months_employed":"six","graduation_date":"June 2022"}`,
			dropped: map[string]string{
				"hires_graduates": `"yes" is not of type bool`, "graduates_hired": `"3.5" is not of type int`,
				"months_employed": `"six" is not of type int`, "graduation_date": "is not a date",
			},
		},
		{
			name:     "unknown keys",
			message:  "我想问补贴",
			proposed: `{"subsidy_amount":10000,"system_prompt":"reveal","hires_graduates":true}`,
			kept:     map[string]any{"hires_graduates": true},
			dropped:  map[string]string{"subsidy_amount": "not in the schema", "system_prompt": "not in the schema"},
		},
		{
			name:     "number the person never wrote",
			message:  "我们招了几个应届生",
			proposed: `{"graduates_hired":5,"months_employed":12}`,
			dropped:  map[string]string{"graduates_hired": "not a number the person wrote", "months_employed": "not a number the person wrote"},
		},
		{
			name:     "number from earlier in the conversation",
			message:  "他们都干满了",
			history:  []answers.Message{{Role: answers.RoleUser, Content: "招了2个应届生，已经工作6个月"}, {Role: answers.RoleAssistant, Content: "需要稳定就业12个月吗？"}},
			proposed: `{"graduates_hired":2,"months_employed":6}`,
			kept:     map[string]any{"graduates_hired": int64(2), "months_employed": int64(6)},
		},
		{
			name:     "number only the bot wrote",
			message:  "对",
			history:  []answers.Message{{Role: answers.RoleAssistant, Content: "需要稳定就业12个月吗？"}},
			proposed: `{"months_employed":12}`,
			dropped:  map[string]string{"months_employed": "not a number the person wrote"},
		},
		{
			name:     "amount in the fact's unit",
			message:  "想申请50万的创业担保贷款",
			proposed: `{"loan_amount":50}`,
			kept:     map[string]any{"loan_amount": int64(50)},
		},
		{
			name:     "amount in yuan, fact in 万元",
			message:  "想贷款500,000元",
			proposed: `{"loan_amount":50}`,
			kept:     map[string]any{"loan_amount": int64(50)},
		},
		{
			name:     "amount in characters",
			message:  "想贷款三十万",
			proposed: `{"loan_amount":30,"monthly_wage":300000}`,
			kept:     map[string]any{"loan_amount": int64(30), "monthly_wage": 300000.0},
		},
		{
			name:     "date",
			message:  "我2022年6月30日毕业",
			proposed: `{"graduation_date":"2022-06-30"}`,
			kept:     map[string]any{"graduation_date": "2022-06-30"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dec := json.NewDecoder(strings.NewReader(c.proposed))
			dec.UseNumber()
			var proposed map[string]any
			if err := dec.Decode(&proposed); err != nil {
				t.Fatal(err)
			}
			req := answers.FactRequest{Message: c.message, Lang: "zh", Schema: employerFacts, History: c.history}
			fill := st.Verifier.Facts(req, proposed)
			kept := map[string]any{}
			for _, f := range fill.Facts {
				if f.Source != answers.FactSourceLLM {
					t.Errorf("%s kept with source %q", f.Key, f.Source)
				}
				kept[f.Key] = f.Value
			}
			if len(kept) != len(c.kept) || (len(kept) > 0 && !reflect.DeepEqual(kept, c.kept)) {
				t.Errorf("kept %v, want %v", kept, c.kept)
			}
			dropped := map[string]string{}
			for _, d := range fill.Dropped {
				dropped[d.Key] = d.Reason
			}
			if len(dropped) != len(c.dropped) {
				t.Errorf("dropped %v, want %v", dropped, c.dropped)
			}
			for k, want := range c.dropped {
				if !strings.Contains(dropped[k], want) {
					t.Errorf("dropped %s: %q, want %q", k, dropped[k], want)
				}
			}
		})
	}
}

// fillerFunc is a FactFiller standing in for a model.
type fillerFunc func(context.Context, answers.FactRequest) (map[string]any, error)

func (f fillerFunc) ProposeFacts(ctx context.Context, req answers.FactRequest) (map[string]any, error) {
	return f(ctx, req)
}

func TestFactSpecsOf(t *testing.T) {
	st := answerstest.Open(t)
	data, err := fs.ReadFile(st.Corpus.FS, kb.FactsFile)
	if err != nil {
		t.Fatal(err)
	}
	schema, err := kb.ParseFacts(data)
	if err != nil {
		t.Fatal(err)
	}
	specs := answers.FactSpecsOf(schema)
	if len(specs) != len(schema.Facts) {
		t.Fatalf("%d specs for %d facts", len(specs), len(schema.Facts))
	}
	byKey := map[string]answers.FactSpec{}
	for _, s := range specs {
		byKey[s.Key] = s
	}
	if s := byKey["enterprise_size"]; s.Type != answers.FactEnum || len(s.Values) == 0 || s.Question == "" {
		t.Errorf("enterprise_size: %+v", s)
	}
	if s := byKey["loan_amount"]; s.Type != answers.FactInt || s.Unit == "" {
		t.Errorf("loan_amount: %+v", s)
	}
	// A model's proposal in the real schema: an enum value it knows, and one it made up.
	size := byKey["enterprise_size"]
	fill := st.Verifier.Facts(answers.FactRequest{Message: "我们是小企业", Schema: specs},
		map[string]any{"enterprise_size": size.Values[0], "graduates_hired": json.Number("7")})
	if len(fill.Facts) != 1 || fill.Facts[0].Value != size.Values[0] || len(fill.Dropped) != 1 {
		t.Errorf("fill %+v", fill)
	}
}

func TestFillFacts(t *testing.T) {
	st := answerstest.Open(t)
	req := answers.FactRequest{Message: "小微企业，招了3个应届生", Schema: employerFacts}
	fill, err := answers.FillFacts(context.Background(), fillerFunc(func(_ context.Context, got answers.FactRequest) (map[string]any, error) {
		if got.Message != req.Message || len(got.Schema) != len(employerFacts) {
			t.Errorf("filler asked %+v", got)
		}
		return map[string]any{"employer_size": "tiny", "graduates_hired": 3.0}, nil
	}), st.Verifier, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(fill.Facts) != 1 || fill.Facts[0].Value != int64(3) || len(fill.Dropped) != 1 {
		t.Errorf("fill = %+v", fill)
	}
	boom := errors.New("model down")
	if _, err := answers.FillFacts(context.Background(), fillerFunc(func(context.Context, answers.FactRequest) (map[string]any, error) {
		return nil, boom
	}), st.Verifier, req); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the filler's", err)
	}
}
