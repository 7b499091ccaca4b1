package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"policybot/bot"
	"policybot/web"
)

// A conversation over POST /api/chat: started without a session, carried
// on with the session, by button and by text, to a verdict; every reply in
// the contract's JSON, a superseded benefit among the results.
func TestChatConversation(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	res := s.call(t, "POST", "/api/chat", []byte(`{"text":"我们公司今年招了三个应届生，有什么补贴？"}`))
	if res.status != http.StatusOK {
		t.Fatalf("%d %s", res.status, res.body)
	}
	// The contract's field names, read as a client would.
	m := jsonObject(t, res.body)
	for _, k := range []string{"session", "turn", "status", "reply", "citations", "question", "lang", "facts"} {
		if _, ok := m[k]; !ok {
			t.Errorf("reply lacks %q: %s", k, res.body)
		}
	}
	// What the engine knows of the person, for "what I know about you".
	if facts, _ := m["facts"].(map[string]any); facts["graduates_hired"] != float64(3) || facts["role"] != "employer" {
		t.Errorf("facts %v, want graduates_hired 3 and role employer", m["facts"])
	}
	q, _ := m["question"].(map[string]any)
	opts, _ := q["options"].([]any)
	if m["status"] != "asking" || q["fact"] == "" || q["text"] == "" || len(opts) < 2 {
		t.Fatalf("first reply: %s", res.body)
	}
	if o, _ := opts[0].(map[string]any); o["value"] == nil || o["label"] == nil {
		t.Errorf("option %v lacks value or label", opts[0])
	}
	cites, _ := m["citations"].([]any)
	if c, _ := cites[0].(map[string]any); len(cites) == 0 || c["clause"] != float64(3) || c["doc"] != "cq-2022-employment-measures" {
		t.Errorf("citations %v, want clause 3 first", cites)
	}
	session := m["session"].(string)
	// In late 2026 the 2022 subsidy was restated in 2023 with other
	// conditions: the answer leads with that, and the quote is 2022's.
	if reply, _ := m["reply"].(string); !strings.HasPrefix(reply, "后续文件（政策更新登记）") || !strings.Contains(reply, "2022年原文") {
		t.Errorf("first reply does not lead with the later document: %s", reply)
	}

	fact := q["fact"]
	first, _ := opts[0].(map[string]any)
	r := s.chat(t, map[string]any{"session": session, "option": first["value"]})
	if r.Session != session || r.Status != bot.StatusAsking || r.Question == nil || r.Question.Fact == fact {
		t.Fatalf("after the button: %+v", r)
	}
	r = s.chat(t, map[string]any{"session": session, "text": "都满半年了，公司一共20个人"})
	for i := 0; r.Status == bot.StatusAsking && i < bot.DefaultMaxQuestions; i++ {
		r = s.chat(t, map[string]any{"session": session, "option": bot.OptionSkip})
	}
	if r.Status != bot.StatusResult {
		t.Fatalf("no result after the question limit: %+v", r)
	}
	found := false
	for _, v := range r.Results {
		if v.ID == "one_off_hiring_subsidy" {
			found = v.Status == "superseded" && v.Amount == "" && strings.Contains(v.Why, "重庆人社助企纾困政策服务包（2023版）") && v.Clause == 3
		}
	}
	if !found {
		t.Errorf("results lack 一次性吸纳就业补贴 superseded by the 2023 list: %+v", r.Results)
	}
	if n := turnsOf(t, s, session); n < 4 {
		t.Errorf("%d turns logged for the session", n)
	}
}

// turnsOf counts the logged turns of a session through the staff
// console's report of recent conversations.
func turnsOf(t *testing.T, s *apiServer, session string) int {
	t.Helper()
	list, err := s.db.RecentConversations(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == session {
			return c.Turns
		}
	}
	return 0
}

// The result JSON names each benefit with its clause, document, status,
// amount and reason.
func TestResultContract(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	res := s.call(t, "POST", "/api/eligibility", []byte(`{"facts":{"role":"employer","employer_type":"enterprise","enterprise_size":"small","staff_count":20,"graduates_hired":3,"graduates_stayed_6m":true}}`))
	m := jsonObject(t, res.body)
	if res.status != http.StatusOK || m["status"] != "result" {
		t.Fatalf("%d %s", res.status, res.body)
	}
	list, _ := m["results"].([]any)
	if len(list) < 40 {
		t.Fatalf("%d results, want one per benefit", len(list))
	}
	for _, x := range list {
		v := x.(map[string]any)
		for _, k := range []string{"benefit", "clause", "doc", "status", "amount", "why"} {
			if _, ok := v[k]; !ok {
				t.Errorf("result lacks %q: %v", k, v)
			}
		}
	}
}

// POST /api/eligibility: a profile in, every matching benefit out, the
// 15% hiring ratio and the 8% ratio over 100 staff computed; judged in late
// 2026, a benefit a later document replaced is superseded, named with it,
// and none of its 2022 amount is given.
func TestEligibilityProfiles(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	tests := []struct {
		name   string
		facts  string
		want   map[string]string // rule id → status
		amount map[string]string // rule id → what the amount contains ("" for none)
		why    map[string]string // rule id → what the reason contains
	}{
		{"small firm, 3 graduates of 20 staff", `{"role":"employer","employer_type":"enterprise","enterprise_size":"small","staff_count":20,"graduates_hired":3,"graduates_stayed_6m":true,"loan_amount":100}`,
			map[string]string{"one_off_hiring_subsidy": "superseded", "graduate_hiring_guarantee_loan": "superseded", "job_retention_refund_large": "ineligible"},
			nil,
			map[string]string{"one_off_hiring_subsidy": "重庆人社助企纾困政策服务包（2023版）", "graduate_hiring_guarantee_loan": "渝人社规〔2025〕11号"}},
		{"small firm, 3 graduates of 21 staff: under 15%", `{"role":"employer","employer_type":"enterprise","enterprise_size":"small","staff_count":21,"graduates_hired":3}`,
			map[string]string{"graduate_hiring_guarantee_loan": "ineligible"}, nil,
			map[string]string{"graduate_hiring_guarantee_loan": "以上是2022年通知的条件"}},
		{"120 staff, 10 graduates: 8% reached", `{"role":"employer","employer_type":"enterprise","enterprise_size":"micro","staff_count":120,"graduates_hired":10}`,
			map[string]string{"graduate_hiring_guarantee_loan": "superseded"}, nil, nil},
		{"120 staff, 9 graduates: under 8%", `{"role":"employer","employer_type":"enterprise","enterprise_size":"micro","staff_count":120,"graduates_hired":9}`,
			map[string]string{"graduate_hiring_guarantee_loan": "ineligible"}, nil, nil},
		{"large enterprise", `{"role":"employer","employer_type":"enterprise","enterprise_size":"large","graduates_hired":3,"graduates_stayed_6m":true,"got_service_sector_refund":false}`,
			map[string]string{"one_off_hiring_subsidy": "ineligible", "job_retention_refund_large": "superseded"},
			nil,
			map[string]string{"job_retention_refund_large": "大型企业返还上年度实缴失业保险费的10%"}},
		{"woman of 45 in flexible work", `{"role":"individual","gender":"female","age":45,"employment_status":"flexible","pays_si_personally":true,"personal_si_paid":9000}`,
			map[string]string{"flexible_employment_social_insurance_subsidy": "eligible"},
			map[string]string{"flexible_employment_social_insurance_subsidy": "6000元/年"},
			map[string]string{"flexible_employment_social_insurance_subsidy": "2023版"}},
		{"numbers as strings, as buttons send them", `{"role":"employer","employer_type":"enterprise","key_group_hires":"2","graduates_stayed_6m":"true"}`,
			map[string]string{"hiring_tax_reduction": "eligible"}, map[string]string{"hiring_tax_reduction": "15600元/年"}, nil},
		{"nothing known", `{}`, map[string]string{"one_off_hiring_subsidy": "superseded", "skills_upgrade_subsidy": "expired"}, nil,
			map[string]string{"skills_upgrade_subsidy": "人社部发〔2024〕40号"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := s.call(t, "POST", "/api/eligibility", []byte(`{"facts":`+tc.facts+`}`))
			if res.status != http.StatusOK {
				t.Fatalf("%d %s", res.status, res.body)
			}
			var r bot.Reply
			if err := json.Unmarshal(res.body, &r); err != nil {
				t.Fatal(err)
			}
			if r.Status != bot.StatusResult || !bot.ValidSessionID(r.Session) || r.Turn <= 0 {
				t.Errorf("status %s session %q turn %d", r.Status, r.Session, r.Turn)
			}
			for id, want := range tc.want {
				i := slices.IndexFunc(r.Results, func(v bot.Result) bool { return v.ID == id })
				if i < 0 {
					t.Fatalf("no result for %s", id)
				}
				got := r.Results[i]
				amountOK := strings.Contains(got.Amount, tc.amount[id]) && (want != "superseded" || got.Amount == "")
				if string(got.Status) != want || !amountOK || !strings.Contains(got.Why, tc.why[id]) {
					t.Errorf("%s: %s %q (%s); want %s with amount %q and a reason with %q", id, got.Status, got.Amount, got.Why, want, tc.amount[id], tc.why[id])
				}
			}
		})
	}
}

// Bad profiles are refused with 400 naming every bad fact.
func TestEligibilityBadFacts(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	tests := []struct {
		name, body string
		says       []string
	}{
		{"unknown key", `{"facts":{"role":"employer","salary":5000}}`, []string{`unknown fact "salary"`}},
		{"wrong type", `{"facts":{"graduates_hired":"three","graduates_stayed_6m":"yes"}}`, []string{"graduates_hired", "whole number", "graduates_stayed_6m", "true or false"}},
		{"outside the enum", `{"facts":{"enterprise_size":"huge"}}`, []string{"enterprise_size", "huge", "large, medium, small, micro"}},
		{"a fraction", `{"facts":{"staff_count":12.5}}`, []string{"staff_count", "whole number"}},
		{"negative", `{"facts":{"age":-3}}`, []string{"age", "from 0"}},
		{"all at once", `{"facts":{"salary":1,"enterprise_size":"huge","age":"old"}}`, []string{"salary", "huge", "age"}},
		{"no facts", `{}`, []string{"facts"}},
		{"facts not an object", `{"facts":[1,2]}`, []string{"facts"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := errorOf(t, s.call(t, "POST", "/api/eligibility", []byte(tc.body)), http.StatusBadRequest)
			for _, want := range tc.says {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not say %q", msg, want)
				}
			}
		})
	}
}

// GET /api/facts is the schema: every fact with its name, type, question
// and buttons; enums with their values.
func TestFactsSchema(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	res := s.call(t, "GET", "/api/facts", nil)
	var got struct {
		Facts []struct {
			Key, Name, Type, Question, English string
			NameEN                             string `json:"name_en"`
			Values                             []struct {
				Value, Label string
				LabelEN      string `json:"label_en"`
			}
			Options []struct{ Value, Label string }
		}
	}
	if err := json.Unmarshal(res.body, &got); err != nil || res.status != http.StatusOK {
		t.Fatalf("%d %v %s", res.status, err, res.body)
	}
	schema := s.engine.Schema()
	if len(got.Facts) != len(schema.Facts) {
		t.Fatalf("%d facts, schema has %d", len(got.Facts), len(schema.Facts))
	}
	for i, f := range got.Facts {
		want := schema.Facts[i]
		if f.Key != want.Key || f.Name == "" || f.Type != string(want.Type) || f.Question != want.Question || f.English == "" {
			t.Errorf("fact %d: %+v", i, f)
		}
		if want.Type == "enum" && len(f.Values) != len(want.Values) {
			t.Errorf("%s: %d values, want %d", f.Key, len(f.Values), len(want.Values))
		}
		if f.NameEN == "" || (len(f.Values) > 0 && f.Values[0].LabelEN == "") {
			t.Errorf("%s: no English name or label: %+v", f.Key, f)
		}
		if len(f.Options) != len(want.Options) {
			t.Errorf("%s: %d options, want %d", f.Key, len(f.Options), len(want.Options))
		}
	}
	if got.Facts[0].Key != "role" || got.Facts[0].Name != "身份" {
		t.Errorf("first fact %+v, want role (身份)", got.Facts[0])
	}
}

// /healthz says ok while the database answers, and 503 once it does not.
func TestHealth(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	res := s.call(t, "GET", "/healthz", nil)
	if m := jsonObject(t, res.body); res.status != http.StatusOK || m["status"] != "ok" {
		t.Fatalf("%d %s", res.status, res.body)
	}
	s.db.Close()
	res = s.call(t, "GET", "/healthz", nil)
	if m := jsonObject(t, res.body); res.status != http.StatusServiceUnavailable || m["status"] != "unavailable" {
		t.Errorf("with the database closed: %d %s", res.status, res.body)
	}
	// A chat turn that cannot be logged is not answered: 500, no details.
	msg := errorOf(t, s.call(t, "POST", "/api/chat", []byte(`{"text":"灵活就业社保补贴怎么算"}`)), http.StatusInternalServerError)
	if strings.Contains(msg, "sql") || strings.Contains(msg, "database") {
		t.Errorf("500 says too much: %q", msg)
	}
}

// /metrics exposes the policybot_ series, counting requests by route and
// code and turns by channel and status.
func TestMetrics(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	s.chat(t, map[string]any{"text": "我们公司今年招了三个应届生"})
	s.call(t, "POST", "/api/chat", []byte(`{}`))
	res := s.call(t, "GET", "/metrics", nil)
	body := string(res.body)
	for _, want := range []string{
		`policybot_http_requests_total{code="200",route="chat"} 1`,
		`policybot_http_requests_total{code="400",route="chat"} 1`,
		`policybot_turns_total{channel="web",status="asking"} 1`,
		`policybot_http_request_seconds_bucket{route="chat",le="+Inf"} 2`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// POST /api/feedback records whether a reply helped: the reply named by
// its session and turn, which must belong together.
func TestFeedback(t *testing.T) {
	s := newAPIServer(t, web.Config{})
	r := s.chat(t, map[string]any{"text": "灵活就业社保补贴怎么算"})
	other := s.chat(t, map[string]any{"text": "创业担保贷款最多能贷多少"})
	feedback := func(session string, turn int64) []byte {
		return []byte(fmt.Sprintf(`{"session":%q,"turn":%d,"helpful":false}`, session, turn))
	}
	if res := s.call(t, "POST", "/api/feedback", feedback(r.Session, r.Turn)); res.status != http.StatusOK {
		t.Errorf("feedback: %d %s", res.status, res.body)
	}
	// Forged: someone else's turn, a turn that does not exist, no session.
	errorOf(t, s.call(t, "POST", "/api/feedback", feedback(r.Session, other.Turn)), http.StatusNotFound)
	errorOf(t, s.call(t, "POST", "/api/feedback", feedback(other.Session, r.Turn)), http.StatusNotFound)
	errorOf(t, s.call(t, "POST", "/api/feedback", feedback(r.Session, 99999)), http.StatusNotFound)
	errorOf(t, s.call(t, "POST", "/api/feedback", []byte(fmt.Sprintf(`{"turn":%d,"helpful":true}`, other.Turn))), http.StatusBadRequest)
	errorOf(t, s.call(t, "POST", "/api/feedback", []byte(fmt.Sprintf(`{"session":%q,"turn":%d}`, r.Session, r.Turn))), http.StatusBadRequest)
	gaps, err := s.db.Gaps(t.Context(), apiToday.AddDate(-10, 0, 0), 10)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(gaps, func(g bot.Gap) bool { return g.TurnID == r.Turn && g.Unhelpful }) {
		t.Errorf("the unhelpful turn %d is not among the gaps %+v", r.Turn, gaps)
	}
}
