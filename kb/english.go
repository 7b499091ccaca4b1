package kb

import (
	"fmt"
	"strings"
)

// LangEnglish is the language code of the schema's and the rules' English
// texts (name_en, label_en, text_en, next_step_en …). Any other code reads
// the Chinese, which stays the default.
const LangEnglish = "en"

// LabelIn is the choice's label in lang: 小型企业, or in English small enterprise.
func (c Choice) LabelIn(lang string) string {
	if lang == LangEnglish {
		return c.LabelEN
	}
	return c.Label
}

// NameIn is the fact's short name in lang, for saying back what was understood.
func (f *Fact) NameIn(lang string) string {
	if lang == LangEnglish {
		return f.NameEN
	}
	return f.Name
}

// QuestionIn is the question that asks for the fact, in lang.
func (f *Fact) QuestionIn(lang string) string {
	if lang == LangEnglish {
		return f.English
	}
	return f.Question
}

// AgainIn is the question in other words, in lang, for asking it a second
// time; the question itself when the schema gives no other words.
func (f *Fact) AgainIn(lang string) string {
	if lang == LangEnglish && f.AgainEN != "" {
		return f.AgainEN
	}
	if lang != LangEnglish && f.Again != "" {
		return f.Again
	}
	return f.QuestionIn(lang)
}

// UnitIn is what an int fact counts, in lang: 人, or in English people.
func (f *Fact) UnitIn(lang string) string {
	if lang == LangEnglish {
		return f.UnitEN
	}
	return f.Unit
}

// Wording is how verdicts read in lang.
func (s *FactSchema) Wording(lang string) *VerdictWording {
	if lang == LangEnglish {
		return &s.VerdictsEN
	}
	return &s.Verdicts
}

// TextIn is the condition as a person reads it, in lang.
func (c *Condition) TextIn(lang string) string {
	if lang == LangEnglish {
		return c.TextEN
	}
	return c.Text
}

// NextStepIn is where to go for the benefit, in lang.
func (r *Rule) NextStepIn(lang string) string {
	if lang == LangEnglish {
		return r.NextStepEN
	}
	return r.NextStep
}

// ReferencesIn names the documents a deferred benefit leaves details to, in lang.
func (r *Rule) ReferencesIn(lang string) []string {
	if lang == LangEnglish {
		return r.ReferencesEN
	}
	return r.References
}

// missingEnglish lists the fact's texts that have no English: its name,
// unit, and the label of each value and button.
func (f *Fact) missingEnglish() []string {
	var out []string
	if f.Name != "" && f.NameEN == "" {
		out = append(out, "name_en")
	}
	if f.Unit != "" && f.UnitEN == "" {
		out = append(out, "unit_en")
	}
	for _, c := range f.Values {
		if c.LabelEN == "" {
			out = append(out, fmt.Sprintf("label_en of value %s", c.Value))
		}
	}
	for _, c := range f.Options {
		if c.LabelEN == "" {
			out = append(out, fmt.Sprintf("label_en of option %s", c.Value))
		}
	}
	return out
}

// missingEnglish lists the rule's texts a person reads that have no
// English: next step, conditions, amount and references.
func (r *Rule) missingEnglish() []string {
	var out []string
	if r.NextStep != "" && r.NextStepEN == "" {
		out = append(out, "next_step_en")
	}
	for i, c := range r.Conditions {
		if c.Text != "" && c.TextEN == "" {
			out = append(out, fmt.Sprintf("text_en of condition %d (%s)", i+1, c.Text))
		}
	}
	if a := r.Amount; a != nil {
		if a.Text != "" && a.TextEN == "" {
			out = append(out, "text_en of amount")
		}
		if a.Unit != "" && a.UnitEN == "" {
			out = append(out, "unit_en of amount")
		}
	}
	if len(r.ReferencesEN) != len(r.References) {
		out = append(out, fmt.Sprintf("references_en (%d for %d references)", len(r.ReferencesEN), len(r.References)))
	}
	return out
}

// englishError says what a fact or rule lacks in English, or nil.
func englishError(missing []string) error {
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("no English: %s", strings.Join(missing, ", "))
}
