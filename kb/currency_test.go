package kb_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"policybot/corpus"
	"policybot/kb"
)

const realRegistryFile = realID + ".currency.yaml"

// registryWith is the embedded registry with text appended to its list of
// documents.
func registryWith(t *testing.T, extra string) []byte {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), realRegistryFile)
	if err != nil {
		t.Fatal(err)
	}
	return append(data, extra...)
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d.Add(10 * time.Hour)
}

// The embedded registry loads, says when it was checked, and every document
// users may be told of says what was verified where.
func TestRealRegistry(t *testing.T) {
	c := loadReal(t)
	r := c.Currency[realID]
	if r == nil {
		t.Fatalf("no registry for %s", realID)
	}
	if got := r.Checked.Format(time.DateOnly); got != "2026-12-02" {
		t.Errorf("checked %s, want 2026-12-02", got)
	}
	official := 0
	for _, d := range r.Documents {
		if d.Visible() {
			official++
			if !strings.Contains(d.Verified, "2026-12-02") || !strings.Contains(d.Source, "gov.cn") {
				t.Errorf("%s: official, but verified %q on %s", d.ID, d.Verified, d.Source)
			}
		}
		for _, m := range d.Measures {
			if m.Doc != d {
				t.Errorf("%s: measure of clause %d not linked to its document", d.ID, m.Clause)
			}
		}
	}
	if official < 10 {
		t.Errorf("%d official documents; the check found at least 10", official)
	}
}

// What decides a benefit is the newest document users may be told of that
// was issued by the day asked: none while the notice ran, the 2024 notice
// in late 2024, 渝人社规〔2025〕11号 after June 2025. A news copy never decides.
func TestRegistryLatest(t *testing.T) {
	r := loadReal(t).Currency[realID]
	cases := []struct {
		rule, today, want string
	}{
		{"graduate_hiring_guarantee_loan", "2022-07-01", ""},
		{"graduate_hiring_guarantee_loan", "2024-09-01", "cq-startup-loan-2024"},
		{"graduate_hiring_guarantee_loan", "2026-11-26", "cq-yrsg-2025-11"},
		{"job_retention_refund_large", "2024-06-01", "mohrss-2024-40"},
		{"job_retention_refund_large", "2026-11-26", "cq-yrsg-2025-10"},
		{"skills_upgrade_subsidy", "2023-08-01", "cq-service-package-2023"},
		{"skills_upgrade_subsidy", "2026-11-26", "mohrss-2024-40"}, // 人社部发〔2025〕18号 is a news copy only
		{"hiring_tax_reduction", "2026-11-26", ""},                 // a lead only
		{"unemployment_assistance", "2026-11-26", ""},
	}
	for _, tc := range cases {
		got := ""
		if m := r.Latest(tc.rule, day(tc.today)); m != nil {
			got = m.Doc.ID
		}
		if got != tc.want {
			t.Errorf("Latest(%s, %s) = %q, want %q", tc.rule, tc.today, got, tc.want)
		}
	}
	whole := r.Whole(6, day("2026-11-26"))
	if len(whole) != 2 || whole[0].Doc.ID != "cq-yfbf-2025-10" || whole[1].Doc.ID != "cq-yfbf-2024-35" {
		t.Errorf("clause 6 as a whole: %v, want the 2025 plan, then the 2024–2027 one", ids(whole))
	}
	if m := r.Latest("skills_upgrade_subsidy", day("2026-11-26")); !m.Ended(day("2026-11-26")) || m.Ended(day("2024-12-31")) {
		t.Error("the skills subsidy's latest period should end on 2024-12-31, the day itself included")
	}
}

func ids(ms []*kb.LaterMeasure) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Doc.ID)
	}
	return out
}

// A registry that is wrong fails to load, naming the document and what is
// wrong with it.
func TestRegistryErrors(t *testing.T) {
	c := loadReal(t)
	doc, rules := c.Doc(realID), c.Rules[realID]
	entry := func(body string) string {
		return "\n  - id: test-doc\n    title: 测试文件\n    issuer: 测试\n    date: 2025-01\n" +
			"    source: https://example.gov.cn/a.html\n" + body
	}
	measure := func(body string) string {
		return "    confidence: official\n    verified: read 2026-12-02\n    measures:\n      - clause: 4\n" + body
	}
	const ok = "        effect: replaces\n        change: 上限提高\n        change_en: cap raised\n"
	cases := []struct{ name, extra, want string }{
		{"unknown rule", entry(measure("        rules: [no_such_rule]\n" + ok)), `rule "no_such_rule": cq-2022-employment-measures has no such rule`},
		{"rule of another clause", entry(measure("        rules: [startup_subsidy]\n" + ok)), "rule startup_subsidy is of clause 11, not 4"},
		{"unknown clause", strings.Replace(entry(measure(ok)), "clause: 4", "clause: 19", 1), "has no clause 19"},
		{"unknown effect", entry(measure(strings.Replace(ok, "replaces", "improves", 1))), `effect "improves"`},
		{"no English", entry(measure("        effect: replaces\n        change: 上限提高\n")), "change and change_en are required"},
		{"official, not verified", entry("    confidence: official\n    measures:\n      - clause: 4\n" + ok), "verified is required"},
		{"unknown confidence", entry(strings.Replace(measure(ok), "official", "rumour", 1)), `confidence "rumour"`},
		{"after the check", strings.Replace(entry(measure(ok)), "2025-01", "2027-01", 1), "after the registry was checked"},
		{"no address", strings.Replace(entry(measure(ok)), "https://example.gov.cn/a.html", "example.gov.cn", 1), "is not an http(s) address"},
		{"period backwards", entry(measure(ok + "        period: {start: 2025-06-01, end: 2025-01-01}\n")), "period ends before it starts"},
		{"id twice", entry(measure(ok)) + entry(measure(ok)), "document test-doc: id used twice"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kb.ParseRegistry(doc, rules, registryWith(t, tc.extra))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one with %q", err, tc.want)
			}
			if tc.name != "id twice" && !strings.Contains(err.Error(), "(test-doc)") {
				t.Errorf("err = %v does not name the document", err)
			}
		})
	}
	if _, err := kb.ParseRegistry(doc, rules, []byte("documents: []\n")); err == nil || !strings.Contains(err.Error(), "checked") {
		t.Errorf("a registry without its check date: err = %v", err)
	}
	if _, err := kb.ParseRegistry(doc, rules, registryWith(t, entry(measure("        rules: [graduate_hiring_guarantee_loan]\n"+ok)))); err != nil {
		t.Errorf("a good document added: %v", err)
	}
}

// Dates of later documents are known to the day, the month or the year,
// and are written to that precision.
func TestPartialDate(t *testing.T) {
	for _, tc := range []struct{ in, zh string }{
		{"2025-03-02", "2025年3月2日"}, {"2025-06", "2025年6月"}, {"2022", "2022年"},
	} {
		d, err := kb.ParsePartialDate(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Format("2006年1月2日", "2006年1月", "2006年"); got != tc.zh || d.String() != tc.in {
			t.Errorf("%s: %s / %s", tc.in, got, d.String())
		}
	}
	if _, err := kb.ParsePartialDate("2025/06"); err == nil {
		t.Error("2025/06 parsed")
	}
}
