package bot

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/answers"
	"policybot/kb"
	"policybot/zh"
)

// read learns the facts a message gives: whatever the schema recognises in
// it, and the answer to the question pending, however it is written (a
// yes or no, a number in digits or characters, an option's label or its
// position). Later facts replace earlier ones: "不对，我们是大型企业"
// corrects the size given before.
func (e *Engine) read(ctx context.Context, t *turn, intent Intent) {
	seen := e.schema.Recognise(t.folded)
	// Words in passing do not overturn what was said before ("20个人" is
	// not "个人", "公司" in a worker's story is not their employer type): a
	// known fact changes only in a correction or in reply to its question.
	changes := func(k string) bool {
		_, known := t.st.Facts[k]
		return !known || intent == IntentCorrection || k == t.st.Pending
	}
	if v, ok := seen["role"]; ok && changes("role") {
		e.keep(t, "role", v, "text")
	}
	for k, v := range seen {
		if k != "role" && changes(k) && e.concerns(k, t.st.Facts["role"]) {
			e.keep(t, k, v, "text")
		}
	}
	p := t.st.Pending
	if p == "" || intent == IntentCorrection || intent == IntentDontKnow {
		return
	}
	if _, ok := t.learnt[p]; ok {
		return
	}
	f := e.schema.Fact(p)
	if f == nil {
		return
	}
	if v, ok := e.replyTo(f, t.folded); ok {
		e.keep(t, p, v, "text")
		return
	}
	e.fill(ctx, t)
}

// fill asks the model, when one is configured, for the facts of a reply the
// schema could not read. The model proposes; only values the schema allows
// are kept, and the log records that they came from the model.
func (e *Engine) fill(ctx context.Context, t *turn) {
	if e.cfg.Filler == nil || e.cfg.Verifier == nil {
		return
	}
	got, err := answers.FillFacts(ctx, e.cfg.Filler, e.cfg.Verifier, answers.FactRequest{
		Message: t.msg.Text, Lang: t.lang, Schema: answers.FactSpecsOf(e.schema), History: t.st.History,
	})
	if err != nil {
		e.cfg.Log.Warn("fact filling failed", "err", err)
		return
	}
	for _, d := range got.Dropped {
		e.cfg.Log.Info("model proposed a fact the schema does not allow", "fact", d.Key, "reason", d.Reason)
	}
	for _, f := range got.Facts {
		if _, known := t.learnt[f.Key]; !known && e.concerns(f.Key, t.st.Facts["role"]) {
			e.keep(t, f.Key, f.Value, answers.FactSourceLLM)
		}
	}
}

// keep validates a fact against the schema and stores it. Saying again
// what is known teaches nothing, so it is not noted as learnt.
func (e *Engine) keep(t *turn, key string, value any, source string) {
	v, err := e.schema.Normalize(key, value)
	if err != nil {
		return
	}
	if old, ok := t.st.Facts[key]; ok {
		if o, err := e.schema.Normalize(key, old); err == nil && o == v {
			return
		}
	}
	t.st.learn(key, v, source)
	t.learnt[key], t.sources[key] = v, source
}

var firstNumber = regexp.MustCompile(`\d+`)

// replyTo reads a reply to the question for fact f.
func (e *Engine) replyTo(f *kb.Fact, folded string) (any, bool) {
	switch f.Type {
	case kb.FactBool:
		return e.cfg.Dialogue.yesNo(folded)
	case kb.FactInt:
		digits := zh.Digitize(folded)
		if m := firstNumber.FindString(digits); m != "" {
			n, err := strconv.ParseInt(m, 10, 64)
			return n, err == nil
		}
		if v, ok := e.cfg.Dialogue.yesNo(folded); ok && !v { // 没有 → 0
			return int64(0), true
		}
	case kb.FactEnum:
		return chooseOption(f, folded)
	}
	return nil, false
}

// chooseOption matches a reply against an enum's options: by value, by
// label (or the label's part before a bracket), by a part of one label
// only (小型 for 小型企业), or by position (1, 第一个).
func chooseOption(f *kb.Fact, folded string) (any, bool) {
	text := strings.TrimSpace(strings.Trim(folded, "。.!！?？ "))
	choices := f.Options
	if len(choices) == 0 {
		choices = f.Values
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSuffix(zh.Digitize(strings.TrimSuffix(text, "个")), "个"), "第")); err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1].Value, true
	}
	var found []string
	for _, c := range append(append([]kb.Choice{}, choices...), f.Values...) {
		label := strings.ToLower(c.Label)
		short, _, _ := strings.Cut(label, "（")
		if text == strings.ToLower(c.Value) || (short != "" && strings.Contains(text, short)) || text == label {
			if !contains(found, c.Value) {
				found = append(found, c.Value)
			}
		}
	}
	if len(found) == 0 && utf8.RuneCountInString(text) >= 2 {
		for _, c := range append(append([]kb.Choice{}, choices...), f.Values...) {
			if strings.Contains(strings.ToLower(c.Label), text) && !contains(found, c.Value) {
				found = append(found, c.Value)
			}
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return nil, false
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
