package kb_test

import (
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"policybot/corpus"
	"policybot/kb"
)

// Every text a person reads in a conversation has its English: each
// fact's name and unit, each value's and button's label, each rule's
// conditions, amount, references and next step, and the verdict wording.
// The test lists whatever is missing.
func TestEnglishComplete(t *testing.T) {
	c := loadReal(t)
	var missing []string
	for _, f := range c.Facts.Facts {
		for _, p := range []struct{ zh, en, what string }{
			{f.Name, f.NameEN, "name_en"}, {f.Unit, f.UnitEN, "unit_en"}, {f.Question, f.English, "english"},
		} {
			if p.zh != "" && p.en == "" {
				missing = append(missing, fmt.Sprintf("fact %s: %s", f.Key, p.what))
			}
		}
		for _, ch := range append(append([]kb.Choice{}, f.Values...), f.Options...) {
			if ch.LabelEN == "" || hasHan(ch.LabelEN) {
				missing = append(missing, fmt.Sprintf("fact %s: label_en of %s is %q", f.Key, ch.Value, ch.LabelEN))
			}
		}
	}
	for _, r := range c.Rules[realID].Rules {
		if r.NextStepEN == "" || hasHan(r.NextStepEN) {
			missing = append(missing, fmt.Sprintf("rule %s: next_step_en %q", r.ID, r.NextStepEN))
		}
		for i, cond := range r.Conditions {
			if cond.TextEN == "" {
				missing = append(missing, fmt.Sprintf("rule %s: condition %d: text_en", r.ID, i+1))
			}
		}
		if a := r.Amount; a != nil && (a.TextEN == "" || a.Unit != "" && a.UnitEN == "") {
			missing = append(missing, fmt.Sprintf("rule %s: amount text_en or unit_en", r.ID))
		}
		if len(r.ReferencesEN) != len(r.References) {
			missing = append(missing, fmt.Sprintf("rule %s: references_en", r.ID))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d texts lack English:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

func hasHan(s string) bool {
	return regexp.MustCompile(`\p{Han}`).MatchString(s)
}

// A schema or rules file without its English fails to load, and the error
// names every text that lacks it.
func TestEnglishRequired(t *testing.T) {
	c := loadReal(t)
	facts, err := fs.ReadFile(corpus.Embedded(), kb.FactsFile)
	if err != nil {
		t.Fatal(err)
	}
	labels := regexp.MustCompile(`, label_en: (?:"[^"]*"|[^}]*)\}`)
	_, err = kb.ParseFacts(labels.ReplaceAll(facts, []byte("}")))
	if err == nil {
		t.Fatal("facts without label_en loaded")
	}
	for _, f := range c.Facts.Facts {
		for _, v := range f.Values {
			if want := "label_en of value " + v.Value; !strings.Contains(err.Error(), want) {
				t.Errorf("fact %s: the error does not name %q", f.Key, want)
			}
		}
		for _, o := range f.Options {
			if want := "label_en of option " + o.Value; !strings.Contains(err.Error(), want) {
				t.Errorf("fact %s: the error does not name %q", f.Key, want)
			}
		}
	}
	names := regexp.MustCompile(`(?m)^    (?:name|unit)_en: .*\n`)
	_, err = kb.ParseFacts(names.ReplaceAll(facts, nil))
	for _, f := range c.Facts.Facts {
		if want := fmt.Sprintf("(%s): no English: name_en", f.Key); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("facts without name_en: the error does not say %q", want)
		}
	}
	noWording := facts[:strings.Index(string(facts), "verdicts_en:")]
	if _, err := kb.ParseFacts(noWording); err == nil || !strings.Contains(err.Error(), "verdicts_en: eligible is empty") {
		t.Errorf("facts without verdicts_en: %v", err)
	}

	rules := realRules(t)
	for _, tc := range []struct {
		field string
		want  func(r *kb.Rule) []string
	}{
		{"next_step_en", func(r *kb.Rule) []string { return []string{"next_step_en"} }},
		{"text_en", func(r *kb.Rule) []string {
			var out []string
			for i, cond := range r.Conditions {
				out = append(out, fmt.Sprintf("text_en of condition %d (%s)", i+1, cond.Text))
			}
			if r.Amount != nil {
				out = append(out, "text_en of amount")
			}
			return out
		}},
		{"references_en", func(r *kb.Rule) []string {
			if len(r.References) == 0 {
				return nil
			}
			return []string{"references_en (0 for"}
		}},
	} {
		stripped := regexp.MustCompile(`(?m)^\s+`+tc.field+`: .*\n`).ReplaceAll(rules, nil)
		_, err := kb.ParseRules(c.Doc(realID), stripped, c.Facts)
		if err == nil {
			t.Errorf("rules without %s loaded", tc.field)
			continue
		}
		lines := strings.Split(err.Error(), "\n")
		for i, r := range c.Rules[realID].Rules {
			prefix := fmt.Sprintf("rule %d (%s): no English: ", i+1, r.ID)
			j := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, prefix) })
			for _, want := range tc.want(r) {
				if j < 0 || !strings.Contains(lines[j], want) {
					t.Errorf("rules without %s: the error does not name %s's %s", tc.field, r.ID, want)
				}
			}
		}
	}
}
