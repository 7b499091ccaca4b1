package kb_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"policybot/corpus"
	"policybot/kb"
)

const realRulesFile = realID + ".rules.yaml"

// realRules reads the embedded rules file as written.
func realRules(t *testing.T) []byte {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), realRulesFile)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The embedded corpus loads its fact schema and the notice's rules, each
// anchored to the sentence that grants it.
func TestLoadRules(t *testing.T) {
	c := loadReal(t)
	if c.Facts == nil {
		t.Fatal("no fact schema")
	}
	rs := c.Rules[realID]
	if rs == nil {
		t.Fatalf("no rules for %s", realID)
	}
	if len(rs.Rules) < 25 {
		t.Errorf("%d rules; the notice grants more than 25 benefits", len(rs.Rules))
	}
	for _, r := range rs.Rules {
		if r.Source == nil || r.Quote == nil || !strings.Contains(r.Quote.Text, kb.Normalize(r.Phrase)) {
			t.Errorf("%s: not anchored to its clause's text", r.ID)
		}
		if rs.Rule(r.ID) != r {
			t.Errorf("%s: not found by id", r.ID)
		}
		if r.Ref() != (kb.ClauseRef{Doc: realID, Clause: r.Clause}) {
			t.Errorf("%s: ref %v", r.ID, r.Ref())
		}
	}
}

// A notice without rules loads; its benefits are simply unknown.
func TestNoticeWithoutRules(t *testing.T) {
	c := loadSecond(t)
	if c.Facts == nil {
		t.Error("the shared fact schema should come from the embedded corpus")
	}
	if len(c.Rules) != 0 {
		t.Errorf("rules %v for a notice that has none", c.Rules)
	}
}

// grantWords are how the notice says something is given. A clause that uses
// none grants nothing a person could claim.
var grantWords = []string{
	"补贴", "补助", "贷款", "贴息", "减免", "返还", "缓缴", "费率", "奖补", "救助", "低保",
	"免费", "服务", "岗位", "保障", "培训", "创业",
}

// Every clause that grants something has a rule; those listed as granting
// nothing use none of the words that grant.
func TestRulesCoverGrantingClauses(t *testing.T) {
	c := loadReal(t)
	rs := c.Rules[realID]
	ruled := map[int]int{}
	for _, r := range rs.Rules {
		ruled[r.Clause]++
	}
	none := map[int]bool{}
	for _, n := range rs.GrantsNothing {
		none[n.Clause] = true
	}
	for _, cl := range c.Doc(realID).Clauses() {
		var words []string
		for _, w := range grantWords {
			if strings.Contains(cl.Text(), w) {
				words = append(words, w)
			}
		}
		switch {
		case none[cl.Ordinal] && len(words) > 0:
			t.Errorf("clause %d (%s) is listed as granting nothing but says %v", cl.Ordinal, cl.Title, words)
		case !none[cl.Ordinal] && ruled[cl.Ordinal] == 0:
			t.Errorf("clause %d (%s) has no rules", cl.Ordinal, cl.Title)
		}
	}
}

// Mistakes in a rules file fail the load with an error naming the rule.
func TestParseRulesRejects(t *testing.T) {
	c := loadReal(t)
	doc := c.Doc(realID)
	base := string(realRules(t))
	rule := func(id, body string) string {
		return base + "\n  - id: " + id + "\n    name: 测试\n    english: test\n    kind: subsidy\n    claimant: employer\n" +
			"    next_step: 咨询。\n" + body
	}
	const ok = "    clause: 3\n    phrase: 一次性吸纳就业补贴\n"
	const role = "    conditions:\n      - {expr: \"role == 'employer'\", text: 用人单位}\n"
	tests := []struct {
		name, yaml string
		err        []string // parts the error must contain
	}{
		{"unknown fact", rule("bad_fact", ok+role+"      - {expr: 'salary > 5000', text: 工资}\n"),
			[]string{"bad_fact", "undeclared reference to 'salary'"}},
		{"wrong type", rule("bad_type", ok+role+"      - {expr: \"graduates_hired == 'three'\", text: 三人}\n"),
			[]string{"bad_type", "no matching overload"}},
		{"not a condition", rule("not_bool", ok+role+"      - {expr: 'graduates_hired + 1', text: 人数}\n"),
			[]string{"not_bool", "want bool"}},
		{"misspelt enum value", rule("bad_enum", ok+role+"      - {expr: \"enterprise_size in ['small', 'mirco']\", text: 小微}\n"),
			[]string{"bad_enum", `enterprise_size: want one of`, `"mirco"`}},
		{"amount not a number", rule("bad_amount", ok+role+"    amount: {expr: 'graduates_stayed_6m', unit: 元, text: 2000元/人}\n"),
			[]string{"bad_amount", "amount", "want int or double"}},
		{"no such clause", rule("bad_clause", "    clause: 19\n    phrase: 补贴\n"+role),
			[]string{"bad_clause", "clause 19", "no such clause"}},
		{"phrase not in clause", rule("bad_phrase", "    clause: 2\n    phrase: 一次性吸纳就业补贴\n"+role),
			[]string{"bad_phrase", "is not in clause 2"}},
		{"unknown exclude", rule("bad_exclude", ok+role+"    excludes: [no_such_benefit]\n"),
			[]string{"bad_exclude", `unknown rule "no_such_benefit"`}},
		{"one-sided exclude", rule("one_sided", ok+role+"    excludes: [one_off_hiring_subsidy]\n"),
			[]string{"one_sided", "one_off_hiring_subsidy does not exclude it"}},
		{"deferred without reference", rule("bad_deferred", ok+role+"    deferred: true\n"),
			[]string{"bad_deferred", "names no reference"}},
		{"end the clause does not state", rule("bad_end", ok+role+"    period: {end: 2022-12-31}\n"),
			[]string{"bad_end", "period end 2022-12-31"}},
		{"nobody can claim", rule("no_role", ok+"    conditions:\n      - {expr: 'graduates_hired > 0', text: 吸纳}\n"),
			[]string{"no_role", "no condition reads role"}},
		{"unknown claimant", strings.Replace(rule("bad_claimant", ok+role), "claimant: employer\n    next_step: 咨询", "claimant: [employer, government]\n    next_step: 咨询", 1),
			[]string{"bad_claimant", `claimant "government"`}},
		{"hint it does not read", rule("bad_hint", ok+role+"      - {expr: 'graduates_hired > 0', text: 吸纳, fact_hint: staff_count}\n"),
			[]string{"bad_hint", `fact_hint "staff_count"`}},
		{"id used twice", rule("one_off_hiring_subsidy", ok+role),
			[]string{"one_off_hiring_subsidy", "used twice"}},
		{"clause with rules listed as granting nothing",
			strings.Replace(base, "  - clause: 18\n", "  - clause: 3\n    reason: 测试\n  - clause: 18\n", 1),
			[]string{"grants_nothing: clause 3 has rules"}},
		{"clause without rules or reason",
			strings.Replace(base, "grants_nothing:\n  - clause: 18\n", "grants_nothing:\n  - clause: 99\n", 1),
			[]string{"clause 18 (健全就业监测预警处置机制) has no rules", "has no clause 99"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kb.ParseRules(doc, []byte(tc.yaml), c.Facts)
			if err == nil {
				t.Fatal("ParseRules accepted a bad rules file")
			}
			for _, want := range tc.err {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not say %q:\n%v", want, err)
				}
			}
		})
	}
}

// Rules need a fact schema to be checked against, and a notice to belong to.
func TestLoadRejectsOrphanRules(t *testing.T) {
	base := corpus.Embedded()
	copyFiles := func(names ...string) fstest.MapFS {
		m := fstest.MapFS{}
		for _, n := range names {
			data, err := fs.ReadFile(base, n)
			if err != nil {
				t.Fatal(err)
			}
			m[n] = &fstest.MapFile{Data: data}
		}
		return m
	}
	notice := []string{realID + ".txt", realID + ".meta.yaml", kb.VocabularyFile}
	tests := []struct {
		name string
		fsys fstest.MapFS
		err  string
	}{
		{"rules without facts", copyFiles(append(notice, realRulesFile)...), "no facts.yaml"},
		{"rules without a notice", func() fstest.MapFS {
			m := copyFiles(append(notice, kb.FactsFile)...)
			m["other-notice.rules.yaml"] = &fstest.MapFile{Data: realRules(t)}
			return m
		}(), "no notice other-notice.txt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kb.Load(tc.fsys)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Load error = %v, want one containing %q", err, tc.err)
			}
		})
	}
}

func TestPeriodEnded(t *testing.T) {
	rs := loadReal(t).Rules[realID]
	skills := rs.Rule("skills_upgrade_subsidy")
	shanghai := time.FixedZone("CST", 8*3600)
	tests := []struct {
		today time.Time
		ended bool
	}{
		{time.Date(2022, 7, 1, 9, 0, 0, 0, shanghai), false},
		{time.Date(2022, 12, 31, 23, 59, 0, 0, shanghai), false}, // the last day still counts
		{time.Date(2023, 1, 1, 0, 1, 0, 0, shanghai), true},
		{time.Date(2026, 11, 26, 12, 0, 0, 0, shanghai), true},
	}
	for _, tc := range tests {
		if got := skills.Period.Ended(tc.today); got != tc.ended {
			t.Errorf("ended on %s = %v, want %v", tc.today, got, tc.ended)
		}
	}
	if rs.Rule("one_off_hiring_subsidy").Period.Ended(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("a measure with no end date never ends")
	}
}
