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

// maxShown is how many benefits that apply or may apply a result shows in
// full; the rest, and what is ruled out, are one line with counts and a way
// to see them all. A person wants what applies to them first.
const maxShown = 5

// results is the reply that ends a check: what applies and what may, the
// most relevant to what the person told first, each with amount, reason,
// next step and citation; then the rest in one line, or, with all, every
// verdict. The JSON results keep every verdict either way.
func (e *Engine) results(t *turn, verdicts []answers.Verdict, lead []string, all bool) (*Reply, error) {
	verdicts = e.ranked(verdicts, t.st)
	r := &Reply{Status: StatusResult, Citations: []answers.Citation{}, verdict: verdicts}
	for _, v := range verdicts {
		res, err := e.result(t.lang, v)
		if err != nil {
			return nil, fmt.Errorf("give the verdicts: %w", err)
		}
		r.Results = append(r.Results, res)
	}
	text, more := e.resultText(t.lang, verdicts, r.Results, t.st, all)
	r.Reply = join(append(lead, text)...)
	if more {
		r.Suggestions = []Option{{Value: OptionAll, Label: e.cfg.Dialogue.say(t.lang, "all_option", nil)}}
	}
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
// may apply in full, at most maxShown unless all; then, unless all, the rest
// as a line of counts (more reports whether there is a rest to see), or,
// with all, the ruled-out ones each with why. results are the verdicts in
// the contract's form, one for one.
func (e *Engine) resultText(lang string, verdicts []answers.Verdict, results []Result, st *state, all bool) (string, bool) {
	d := e.cfg.Dialogue
	role := st.Facts[kb.RoleFact]
	var b strings.Builder
	b.WriteString(d.say(lang, "results_intro", nil))
	shown, hidden := 0, 0
	for _, group := range []answers.Eligibility{answers.Eligible, answers.Possible, answers.Superseded} {
		first := true
		for i, v := range verdicts {
			if v.Status != group {
				continue
			}
			if !all && shown == maxShown {
				hidden++
				continue
			}
			if first {
				fmt.Fprintf(&b, "\n\n【%s】", d.say(lang, string(group), nil))
				first = false
			}
			shown++
			e.writeResult(&b, lang, shown, v, results[i])
		}
	}
	if shown == 0 {
		b.WriteString("\n\n" + d.say(lang, "none_found", nil))
	}
	var out []int
	for i, v := range verdicts {
		if (v.Status == answers.Ineligible || v.Status == answers.Expired) && !forSomeoneElse(v, role) {
			out = append(out, i)
		}
	}
	// Ruled out: all of them when all are asked for; otherwise those the
	// person came about (失业补助金 for someone laid off in 2022 who asked
	// for it: ended), and the rest counted.
	shownOut := out
	if !all {
		shownOut = slices.DeleteFunc(slices.Clone(out), func(i int) bool { return e.onTopic(verdicts[i], st) == 0 })
		shownOut = shownOut[:min(len(shownOut), maxShown)]
	}
	if len(shownOut) > 0 {
		fmt.Fprintf(&b, "\n\n【%s / %s】", d.say(lang, "ineligible", nil), d.say(lang, "expired", nil))
		for _, i := range shownOut {
			v := verdicts[i]
			b.WriteString("\n" + d.say(lang, "ruled_out", map[string]string{"Name": v.Name, "English": v.English, "Why": results[i].Why}))
		}
	}
	more := !all && (hidden > 0 || len(out) > len(shownOut))
	if more {
		b.WriteString("\n\n" + d.say(lang, "more_results", map[string]int{"Possible": hidden, "Out": len(out) - len(shownOut)}))
	}
	b.WriteString("\n\n" + d.say(lang, "results_footer", nil))
	return b.String(), more
}

// writeResult writes one benefit that applies or may apply: its name, in
// English beneath it in an English conversation, amount, reason, next step
// and source.
func (e *Engine) writeResult(b *strings.Builder, lang string, n int, v answers.Verdict, res Result) {
	d := e.cfg.Dialogue
	fmt.Fprintf(b, "\n%d. %s", n, res.Benefit)
	if lang == "en" && v.English != "" {
		b.WriteString("\n   " + v.English) // the notice's name stays first: it is what an office knows
	}
	if res.Amount != "" && v.Status != answers.Superseded { // the 2022 amount is not today's
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

// cite names the clause a verdict rests on: （三）降低企业用工成本.
func cite(v answers.Verdict) string {
	if v.Rule != nil && v.Rule.Source != nil {
		return v.Rule.Source.Label + v.Rule.Source.Title
	}
	return v.Citation.Title
}

// ranked orders verdicts eligible, possible, superseded (changed by a later
// document: what the person may get is in the newer one), then the rest;
// within each,
// the benefits of the role the person asks in first (an HR agency reads of
// 职业介绍补贴 before the employer's subsidies its conditions let in), then
// those that rest on more of what the person told (an employer who hired
// graduates sees 一次性吸纳就业补贴 before 免费就业服务), then those whose
// amount the notice states before those left to other documents; otherwise
// the notice's order stands.
func (e *Engine) ranked(verdicts []answers.Verdict, st *state) []answers.Verdict {
	role := st.Facts[kb.RoleFact]
	group := func(v answers.Verdict) int {
		switch v.Status {
		case answers.Eligible:
			return 0
		case answers.Possible:
			return 1
		case answers.Superseded:
			return 2
		}
		return 3
	}
	relevance := func(v answers.Verdict) int {
		n := 2 * e.onTopic(v, st)
		if v.Amount.Computed || strings.ContainsAny(v.Amount.Text, "0123456789") {
			n++
		}
		if v.Deferred {
			n--
		}
		return n
	}
	out := slices.Clone(verdicts)
	slices.SortStableFunc(out, func(a, b answers.Verdict) int {
		if c := cmp.Compare(group(a), group(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(b2i(forSomeoneElse(a, role)), b2i(forSomeoneElse(b, role))); c != 0 {
			return c
		}
		return cmp.Compare(relevance(b), relevance(a))
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
