package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"policybot/answers"
	"policybot/kb"
)

// maxRuledOut is how many ruled-out benefits a result lists by name; the
// rest are counted. A person wants what applies, and briefly what not.
const maxRuledOut = 5

// results is the reply that ends a check: what applies, what may, and
// briefly what does not and why, each with amount and citation.
func (e *Engine) results(t *turn, verdicts []answers.Verdict, lead []string) (*Reply, error) {
	verdicts = ownFirst(verdicts, t.st.Facts[kb.RoleFact])
	r := &Reply{Status: StatusResult, Citations: []answers.Citation{}, verdict: verdicts}
	for _, v := range verdicts {
		res, err := e.result(t.lang, v)
		if err != nil {
			return nil, fmt.Errorf("give the verdicts: %w", err)
		}
		r.Results = append(r.Results, res)
	}
	r.Reply = join(append(lead, e.resultText(t.lang, verdicts, r.Results, t.st.Facts[kb.RoleFact]))...)
	return r, nil
}

// result is a verdict in the chat contract, its amount, reason and next
// step in lang: 6000元（2000元/人）, or 6000 yuan (2,000 yuan per person).
func (e *Engine) result(lang string, v answers.Verdict) (Result, error) {
	d := e.cfg.Dialogue
	text := v.Amount.TextIn(lang)
	amount := text
	if v.Amount.Computed {
		n := strconv.FormatFloat(v.Amount.Value, 'f', -1, 64)
		amount = strings.TrimSpace(d.say(lang, "quantity", map[string]string{"N": n, "Unit": v.Amount.UnitIn(lang)}))
		if text != "" {
			amount = d.say(lang, "amount_and_text", map[string]string{"Figure": amount, "Text": text})
		}
	}
	why, err := e.cfg.Evaluator.Reason(v, lang)
	if err != nil {
		return Result{}, err
	}
	res := Result{
		Benefit: v.Name, ID: v.Benefit, Doc: v.Citation.Doc, Clause: v.Citation.Clause, Title: v.Citation.Title,
		Status: v.Status, Amount: amount, Why: why,
	}
	if v.Rule != nil {
		res.NextStep = v.Rule.NextStepIn(lang)
	}
	return res, nil
}

// resultText writes the verdicts for reading: the benefits that apply and
// may apply in full, the ruled-out ones in a line each, then the reminder
// that the notice dates from 2022. results are the verdicts in the
// contract's form, one for one.
func (e *Engine) resultText(lang string, verdicts []answers.Verdict, results []Result, role any) string {
	d := e.cfg.Dialogue
	var b strings.Builder
	b.WriteString(d.say(lang, "results_intro", nil))
	n := 0
	for _, group := range []answers.Eligibility{answers.Eligible, answers.Possible} {
		first := true
		for i, v := range verdicts {
			if v.Status != group {
				continue
			}
			if first {
				fmt.Fprintf(&b, "\n\n【%s】", d.say(lang, string(group), nil))
				first = false
			}
			n++
			res := results[i]
			fmt.Fprintf(&b, "\n%d. %s", n, res.Benefit)
			if lang == "en" && v.English != "" {
				b.WriteString("\n   " + v.English) // the notice's name stays first: it is what an office knows
			}
			if res.Amount != "" {
				b.WriteString("\n   " + d.say(lang, "amount", map[string]string{"Amount": res.Amount}))
			}
			if res.Why != "" {
				b.WriteString("\n   " + res.Why)
			}
			if res.NextStep != "" {
				b.WriteString("\n   " + d.say(lang, "next_step", map[string]string{"Step": res.NextStep}))
			}
			b.WriteString("\n   " + d.say(lang, "source", map[string]string{"Source": cite(v)}))
		}
	}
	if n == 0 {
		b.WriteString("\n\n" + d.say(lang, "none_found", nil))
	}
	var out []int
	for i, v := range verdicts {
		if (v.Status == answers.Ineligible || v.Status == answers.Expired) && !forSomeoneElse(v, role) {
			out = append(out, i)
		}
	}
	if len(out) > 0 {
		fmt.Fprintf(&b, "\n\n【%s / %s】", d.say(lang, "ineligible", nil), d.say(lang, "expired", nil))
		for k, i := range out {
			if k == maxRuledOut {
				b.WriteString("\n" + d.say(lang, "more_ruled_out", map[string]int{"N": len(out) - maxRuledOut}))
				break
			}
			v := verdicts[i]
			b.WriteString("\n" + d.say(lang, "ruled_out", map[string]string{"Name": v.Name, "English": v.English, "Why": results[i].Why}))
		}
	}
	b.WriteString("\n\n" + d.say(lang, "results_footer", nil))
	return b.String()
}

// cite names the clause a verdict rests on: （三）降低企业用工成本.
func cite(v answers.Verdict) string {
	if v.Rule != nil && v.Rule.Source != nil {
		return v.Rule.Source.Label + v.Rule.Source.Title
	}
	return v.Citation.Title
}

// ownFirst orders verdicts eligible, possible, then the rest, and within
// each the benefits of the role the person asks in first: an HR agency
// reads of 职业介绍补贴 before the employer's subsidies its conditions let
// in. Otherwise the notice's order stands.
func ownFirst(verdicts []answers.Verdict, role any) []answers.Verdict {
	group := func(v answers.Verdict) int {
		switch v.Status {
		case answers.Eligible:
			return 0
		case answers.Possible:
			return 1
		}
		return 2
	}
	out := slices.Clone(verdicts)
	slices.SortStableFunc(out, func(a, b answers.Verdict) int {
		if c := cmp.Compare(group(a), group(b)); c != 0 {
			return c
		}
		return cmp.Compare(b2i(forSomeoneElse(a, role)), b2i(forSomeoneElse(b, role)))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forSomeoneElse reports whether a benefit is for another kind of claimant
// than the person (an employer's subsidy, asked about by a job seeker):
// not worth listing as "ruled out".
func forSomeoneElse(v answers.Verdict, role any) bool {
	r, ok := role.(string)
	return ok && v.Rule != nil && !v.Rule.Claims(r)
}
