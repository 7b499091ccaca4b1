package bot_test

import (
	"context"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"policybot/answers"
	"policybot/bot"
	"policybot/kb"
)

// ruleCase is one benefit of testdata/rules.yaml: a profile the notice
// lets in, and changes to it that fail each condition.
type ruleCase struct {
	In     map[string]any `yaml:"in"`
	Status string         `yaml:"status"`
	Amount string         `yaml:"amount"`
	Out    []ruleOut      `yaml:"out"`
}

// ruleOut is a change to a profile that fails the condition named.
type ruleOut struct {
	Set   map[string]any `yaml:"set"`
	Fails string         `yaml:"fails"`
}

// inForce is a day the notice's measures were all running.
var inForce = time.Date(2022, 7, 1, 0, 0, 0, 0, time.Local)

// TestEveryConditionOfEveryRule sends, for every benefit, a profile the
// notice lets in and one failing each of its conditions through the
// engine's profile API (POST /api/eligibility), and checks the verdicts:
// status and amount for the first, ineligible naming the condition for
// the others. Every condition of every rule must have a case.
func TestEveryConditionOfEveryRule(t *testing.T) {
	data, err := os.ReadFile("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases map[string]ruleCase
	if err := yaml.UnmarshalWithOptions(data, &cases, yaml.Strict()); err != nil {
		t.Fatalf("testdata/rules.yaml: %v", err)
	}
	e := newEngine(t, inForce)
	judge := func(t *testing.T, id string, facts map[string]any) bot.Result {
		t.Helper()
		r, err := e.Eligibility(context.Background(), "api", yamlFacts(facts))
		if err != nil {
			t.Fatalf("Eligibility(%v): %v", facts, err)
		}
		if r.Status != bot.StatusResult || r.Turn <= 0 || len(r.Results) != len(cases) {
			t.Fatalf("status %s, turn %d, %d results", r.Status, r.Turn, len(r.Results))
		}
		i := slices.IndexFunc(r.Results, func(x bot.Result) bool { return x.ID == id })
		if i < 0 {
			t.Fatalf("no verdict on %s", id)
		}
		return r.Results[i]
	}
	rules := e.cfg.Evaluator.Rules()
	for _, rule := range rules {
		t.Run(rule.ID, func(t *testing.T) {
			tc, ok := cases[rule.ID]
			if !ok {
				t.Fatalf("no case in testdata/rules.yaml")
			}
			got := judge(t, rule.ID, tc.In)
			if string(got.Status) != tc.Status || !strings.Contains(got.Amount, tc.Amount) {
				t.Errorf("%v: %s, amount %q; want %s, amount with %q (%s)", tc.In, got.Status, got.Amount, tc.Status, tc.Amount, got.Why)
			}
			for _, c := range rule.Conditions {
				if !slices.ContainsFunc(tc.Out, func(o ruleOut) bool { return o.Fails == c.Text }) {
					t.Errorf("no case fails %q (%s)", c.Text, c.Expr)
				}
			}
			for _, o := range tc.Out {
				facts := maps.Clone(tc.In)
				maps.Copy(facts, o.Set)
				got := judge(t, rule.ID, facts)
				if got.Status != answers.Ineligible || !strings.Contains(got.Why, "不符合："+o.Fails) {
					t.Errorf("%v: %s (%s); want ineligible for %q", o.Set, got.Status, got.Why, o.Fails)
				}
			}
		})
	}
	for id := range cases {
		if !slices.ContainsFunc(rules, func(r *kb.Rule) bool { return r.ID == id }) {
			t.Errorf("testdata/rules.yaml has %s, which is no rule", id)
		}
	}
}

// yamlFacts turns YAML's unsigned integers into the numbers JSON clients send.
func yamlFacts(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		out[k] = fromYAML(v)
	}
	return out
}

// A profile with a bad fact is refused with every bad fact named, and
// nothing is logged for it.
func TestEligibilityRefusesBadFacts(t *testing.T) {
	e := newEngine(t, today)
	_, err := e.Eligibility(context.Background(), "api", map[string]any{
		"role": "employer", "salary": 5000, "enterprise_size": "huge", "graduates_hired": "three",
	})
	if !errors.Is(err, bot.ErrBadMessage) {
		t.Fatalf("err %v, want ErrBadMessage", err)
	}
	for _, want := range []string{`unknown fact "salary"`, "enterprise_size", "huge", "graduates_hired: want a whole number"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
