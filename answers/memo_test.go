package answers_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"policybot/answers"
	"policybot/corpus"
	"policybot/kb"
)

// randomProfile draws facts from the schema: each fact known or not, an
// enum any of its values, a number small or large, a date across the
// notice's years.
func randomProfile(r *rand.Rand, schema *kb.FactSchema) map[string]any {
	facts := map[string]any{}
	for _, f := range schema.Facts {
		if r.IntN(3) == 0 {
			continue
		}
		switch f.Type {
		case kb.FactBool:
			facts[f.Key] = r.IntN(2) == 0
		case kb.FactInt:
			facts[f.Key] = []int{0, 1, 3, 8, 20, 99, 100, 101, 350}[r.IntN(9)]
		case kb.FactEnum:
			facts[f.Key] = f.Values[r.IntN(len(f.Values))].Value
		case kb.FactDate:
			facts[f.Key] = time.Date(2021+r.IntN(6), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
	}
	return facts
}

// TestEvaluateRemembersRightly: an evaluator that has judged thousands of
// profiles (and remembers the outcomes of their conditions, amounts and
// reasons) judges each exactly as a new one does, in Chinese and English,
// while the notice ran and years later.
func TestEvaluateRemembersRightly(t *testing.T) {
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	evaluator := func(today time.Time) *answers.Evaluator {
		e, err := answers.NewEvaluator(c, func() time.Time { return today })
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, today := range []time.Time{inForce, later} {
		warm := evaluator(today)
		r := rand.New(rand.NewPCG(1, uint64(today.Year())))
		profiles := make([]map[string]any, 400)
		for i := range profiles {
			profiles[i] = randomProfile(r, warm.Schema())
		}
		for _, p := range profiles { // fill the memory
			if _, err := warm.Evaluate(p); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range profiles {
			fresh := evaluator(today)
			want, err := fresh.Evaluate(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := warm.Evaluate(p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				for j := range got {
					if !reflect.DeepEqual(got[j], want[j]) {
						t.Errorf("%s from memory:\n%+v\nanew:\n%+v", got[j].Benefit, got[j], want[j])
					}
				}
				t.Fatalf("profile %v judged otherwise from memory", p)
			}
			for j := range got {
				g, gerr := warm.Reason(got[j], kb.LangEnglish)
				w, werr := fresh.Reason(want[j], kb.LangEnglish)
				if g != w || gerr != nil || werr != nil {
					t.Fatalf("profile %v: %s in English %q (%v) from memory, %q (%v) anew", p, got[j].Benefit, g, gerr, w, werr)
				}
			}
		}
	}
}
