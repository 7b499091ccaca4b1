package kb_test

import (
	"encoding/json"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/corpus"
	"policybot/kb"
)

// realFacts parses the embedded facts.yaml.
func realFacts(t *testing.T) *kb.FactSchema {
	t.Helper()
	data, err := fs.ReadFile(corpus.Embedded(), kb.FactsFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := kb.ParseFacts(data)
	if err != nil {
		t.Fatalf("parse facts.yaml: %v", err)
	}
	return s
}

// Every fact can be asked: a question in both languages and buttons that
// are values of the fact, and every enum button names a value.
func TestFactsCanBeAsked(t *testing.T) {
	s := realFacts(t)
	if s.Fact(kb.RoleFact) == nil {
		t.Fatalf("no %s fact: rules cannot say who may claim", kb.RoleFact)
	}
	for _, f := range s.Facts {
		if len(f.Options) < 2 {
			t.Errorf("%s: %d options, want at least two buttons", f.Key, len(f.Options))
		}
		if f.Type == kb.FactEnum {
			for _, v := range f.Values {
				if !slices.ContainsFunc(f.Options, func(o kb.Choice) bool { return o.Value == v.Value }) {
					t.Errorf("%s: value %s has no button", f.Key, v.Value)
				}
			}
		}
		if f.Type == kb.FactInt && f.Unit == "" {
			t.Errorf("%s: an int fact needs a unit", f.Key)
		}
	}
}

func TestValidateFacts(t *testing.T) {
	s := realFacts(t)
	tests := []struct {
		name  string
		key   string
		value any
		want  any    // the normalised value, when valid
		err   string // part of the error, when not
	}{
		{"enum value", "enterprise_size", "small", "small", ""},
		{"enum button", "role", "employer", "employer", ""},
		{"int from Go", "graduates_hired", 3, int64(3), ""},
		{"int from JSON", "graduates_hired", float64(12), int64(12), ""},
		{"int from json.Number", "staff_count", json.Number("150"), int64(150), ""},
		{"int button", "staff_count", "100", int64(100), ""},
		{"bool", "graduates_stayed_6m", true, true, ""},
		{"bool button", "poverty_alleviated", "false", false, ""},
		{"unknown key", "salary", 5000, nil, `unknown fact "salary"`},
		{"enum outside values", "enterprise_size", "huge", nil, "want one of large, medium, small, micro"},
		{"enum of wrong type", "role", 1, nil, "want one of"},
		{"int with a fraction", "graduates_hired", 2.5, nil, "want a whole number"},
		{"int as words", "graduates_hired", "三", nil, "want a whole number"},
		{"open bucket is not a number", "graduates_hired", "10+", nil, "want a whole number"},
		{"negative count", "staff_count", -3, nil, "want a number from 0"},
		{"absurd count", "staff_count", int64(1) << 62, nil, "want a number from 0"},
		{"bool as number", "disabled", 1, nil, "want true or false"},
		{"bool as yes", "disabled", "yes", nil, "want true or false"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Normalize(tc.key, tc.value)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Normalize(%s, %v) error = %v, want one containing %q", tc.key, tc.value, err, tc.err)
				}
				if s.Validate(tc.key, tc.value) == nil {
					t.Fatalf("Validate accepts what Normalize rejects")
				}
				return
			}
			if err != nil {
				t.Fatalf("Normalize(%s, %v): %v", tc.key, tc.value, err)
			}
			if got != tc.want {
				t.Fatalf("Normalize(%s, %v) = %#v, want %#v", tc.key, tc.value, got, tc.want)
			}
		})
	}
}

// Date facts (none in the real schema yet) are CEL timestamps.
func TestDateFacts(t *testing.T) {
	s, err := kb.ParseFacts([]byte(`
facts:
  - key: unemployed_on
    type: date
    question: 您是哪天失业的？
    english: When did you lose your job?
verdicts: {eligible: a, possible: b, deferred: c, ineligible: d, expired: e, date: "2006-01-02"}
verdicts_en: {eligible: a, possible: b, deferred: c, ineligible: d, expired: e, date: "2006-01-02"}
`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Normalize("unemployed_on", "2022-03-01")
	if err != nil || !got.(time.Time).Equal(time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Normalize date = %v, %v", got, err)
	}
	if _, err := s.Normalize("unemployed_on", "2022年3月1日"); err == nil {
		t.Fatal("a date in words was accepted")
	}
	ast, iss := s.Env().Compile(`unemployed_on >= timestamp('2022-01-01T00:00:00Z')`)
	if iss.Err() != nil {
		t.Fatalf("compile a date condition: %v", iss.Err())
	}
	prg, err := s.Env().Program(ast)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := prg.Eval(map[string]any{"unemployed_on": got})
	if err != nil || out.Value() != true {
		t.Fatalf("2022-03-01 >= 2022-01-01 = %v, %v", out, err)
	}
}

func TestParseFactsRejects(t *testing.T) {
	const wording = "\nverdicts: {eligible: a, possible: b, deferred: c, ineligible: d, expired: e, date: \"2006\"}\n" +
		"verdicts_en: {eligible: a, possible: b, deferred: c, ineligible: d, expired: e, date: \"2006\"}\n"
	fact := func(body string) string {
		return "facts:\n  - key: x\n    question: 问\n    english: q\n" + body + wording
	}
	tests := []struct {
		name, yaml, err string
	}{
		{"unknown type", fact("    type: number\n"), `type "number"`},
		{"enum of one value", fact("    type: enum\n    values: [{value: a, label: 甲}]\n"), "at least two values"},
		{"button outside the enum", fact("    type: enum\n    values: [{value: a, label: 甲}, {value: b, label: 乙}]\n    options: [{value: c, label: 丙}]\n"), `option "c"`},
		{"button not a number", fact("    type: int\n    options: [{value: many, label: 很多}]\n"), "want a whole number"},
		{"pattern without a group", fact("    type: int\n    recognise: ['\\d+人']\n"), "exactly one capture group"},
		{"phrases for an int", fact("    type: int\n    recognise: {\"1\": [一个]}\n"), "take patterns"},
		{"phrases for no value", fact("    type: bool\n    recognise: {maybe: [也许]}\n"), "want true or false"},
		{"key not snake case", strings.Replace(fact("    type: bool\n"), "key: x", "key: Staff-Count", 1), "lower_snake_case"},
		{"unknown field", fact("    type: bool\n    prompt: 问\n"), "unknown field"},
		{"no wording", "facts:\n  - {key: x, type: bool, question: 问, english: q}\n", "verdicts: eligible is empty"},
		{"hires for an enum", fact("    type: enum\n    values: [{value: a, label: 甲}, {value: b, label: 乙}]\n    hires: [残疾人]\n"), "hires: for int and bool"},
		{"dated value outside the enum", fact("    type: enum\n    values: [{value: a, label: 甲}, {value: b, label: 乙}]\n    dated: {events: [毕业], values: [{value: c}]}\n"), "dated:"},
		{"dated without events", fact("    type: bool\n    dated: {values: [{value: \"true\"}]}\n"), "want events"},
		{"lasting bool without a length", fact("    type: bool\n    lasting: {words: [工作]}\n"), "at_least"},
		{"lasting int not in months", fact("    type: int\n    unit: 人\n    lasting: {words: [工作]}\n"), "must count 个月"},
		{"wanted outside the enum", fact("    type: enum\n    values: [{value: a, label: 甲}, {value: b, label: 乙}]\n    wanted: [c]\n"), "wanted:"},
		{"wanted any for a bool", fact("    type: bool\n    wanted: [any]\n"), "wanted:"},
		{"if_not for a bool", fact("    type: bool\n    if_not: {\"true\": \"false\"}\n"), "for enums only"},
		{"if_not outside the enum", fact("    type: enum\n    values: [{value: a, label: 甲}, {value: b, label: 乙}]\n    if_not: {a: z}\n"), "if_not:"},
		{"wording that is no template", strings.Replace(fact("    type: bool\n"), "eligible: a", "eligible: '{{.Met'", 1), "verdicts: eligible"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kb.ParseFacts([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("ParseFacts error = %v, want one containing %q", err, tc.err)
			}
		})
	}
}
