package bot

import (
	"context"
	"regexp"
	"slices"
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
	if v, ok := seen[kb.RoleFact]; ok && changes(kb.RoleFact) {
		e.keep(t, kb.RoleFact, v, "text")
	} else if _, known := t.st.Facts[kb.RoleFact]; !known {
		if role, ok := e.inferRole(seen); ok {
			e.keep(t, kb.RoleFact, role, "text")
		}
	}
	for k, v := range seen {
		if k != "role" && changes(k) && e.concerns(k, t.st.Facts["role"]) {
			e.keep(t, k, v, "text")
			if _, ok := t.learnt[k]; ok && k != t.st.Pending && !slices.Contains(t.st.Told, k) {
				t.st.Told = append(t.st.Told, k)
			}
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
	if v, ok := e.replyTo(f, t); ok {
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

// inferRole tells who is asking from the facts a message gave, when it did
// not say: most of them are facts only some roles' rules read, and the
// first such role in the schema's order (用人单位 before 人力资源服务机构)
// is taken. 小公司，职工120人，招了9个应届生 is an employer, though 应届生
// alone could be a graduate speaking.
func (e *Engine) inferRole(seen map[string]any) (string, bool) {
	role := e.schema.Fact(kb.RoleFact)
	if role == nil {
		return "", false
	}
	best, most, telling := "", 0, 0
	for _, c := range role.Values {
		n := 0
		for k := range seen {
			if who := e.claimants[k]; len(who) < len(role.Values) && slices.Contains(who, c.Value) {
				n++
			}
		}
		if n > most {
			best, most = c.Value, n
		}
	}
	for k := range seen {
		if who := e.claimants[k]; len(who) > 0 && len(who) < len(role.Values) {
			telling++
		}
	}
	if most >= 2 && 2*most > telling {
		return best, true
	}
	return "", false
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

var number = regexp.MustCompile(`\d+`)

// unitWords are the characters that may follow a number in a reply
// besides those of the fact's unit: 3个 or 3名 people, 9000块 yuan.
var unitWords = map[string]string{"人": "个名位", "元": "块", "岁": "周"}

// replyTo reads a reply to the question for fact f. A reply that states
// other facts answers those: its yes, or a number a pattern already took,
// is not the answer ("是的，都满6个月了" to another question).
func (e *Engine) replyTo(f *kb.Fact, t *turn) (any, bool) {
	folded := t.folded
	alone := len(t.learnt) == 0
	switch f.Type {
	case kb.FactBool:
		if alone {
			return e.cfg.Dialogue.yesNo(folded)
		}
	case kb.FactInt:
		digits := zh.Digitize(folded)
		if !alone && (len(number.FindAllString(digits, -1)) != 1 || e.learntNumber(t)) {
			return nil, false
		}
		if n, ok := numberIn(f, digits); ok {
			return n, true
		}
		if n, ok := spokenNumber(f, folded); ok {
			return n, true
		}
		// 没有 is 0 where 0 is an answer the buttons offer (hires, months
		// insured), not an amount to borrow.
		if v, ok := e.cfg.Dialogue.yesNo(folded); ok && !v && alone && !number.MatchString(digits) &&
			slices.ContainsFunc(f.Options, func(c kb.Choice) bool { return c.Value == "0" }) {
			return int64(0), true
		}
	case kb.FactEnum:
		if v, ok := chooseOption(f, folded); ok {
			return v, true
		}
		// A plain 不是 or 没有 picks the value that says none applies.
		if yes, ok := e.cfg.Dialogue.yesNo(folded); ok && !yes && alone {
			for _, c := range f.Values {
				if c.Value == "no" || c.Value == "none" {
					return c.Value, true
				}
			}
		}
	}
	return nil, false
}

// learntNumber reports whether the turn learnt a number already.
func (e *Engine) learntNumber(t *turn) bool {
	for k := range t.learnt {
		if f := e.schema.Fact(k); f != nil && f.Type == kb.FactInt {
			return true
		}
	}
	return false
}

// numberIn finds the first number in a digitised reply that is in the
// fact's unit, or in none: asked how many 万元 to borrow, "还没满6个月"
// gives no number, and for months "2年" is 24.
func numberIn(f *kb.Fact, digits string) (int64, bool) {
	for _, m := range number.FindAllStringIndex(digits, -1) {
		n, err := strconv.ParseInt(digits[m[0]:m[1]], 10, 64)
		if err != nil {
			continue
		}
		next, _ := utf8.DecodeRuneInString(digits[m[1]:])
		if times, ok := inUnit(f, next); ok {
			return times * n, true
		}
	}
	return 0, false
}

// inUnit reports whether a number followed by the character next is in
// the fact's unit, and by how much to multiply it to be (2年 is 24个月).
func inUnit(f *kb.Fact, next rune) (int64, bool) {
	unit, _ := utf8.DecodeRuneInString(f.Unit)
	switch {
	case !zh.IsHan(next) || next == unit || strings.ContainsRune(unitWords[string(unit)], next):
		return 1, true
	case f.Unit == "个月" && next == '年':
		return 12, true
	}
	return 0, false
}

// spokenNumber reads a reply that is a number in characters with no
// measure word for the digitiser to go by: 三百五十万 (万元), 二十.
func spokenNumber(f *kb.Fact, folded string) (int64, bool) {
	runes := []rune(strings.TrimSpace(folded))
	i := 0
	for i < len(runes) && !zh.IsNumeral(runes[i]) {
		i++
	}
	j := i
	for j < len(runes) && zh.IsNumeral(runes[j]) {
		j++
	}
	run := string(runes[i:j])
	if strings.HasPrefix(f.Unit, "万") {
		run = strings.TrimSuffix(run, "万")
	}
	var next rune
	if j < len(runes) {
		next = runes[j]
	}
	times, ok := inUnit(f, next) // 一般 is not 1
	if !ok {
		return 0, false
	}
	n, ok := zh.ParseNumber(run)
	return times * n, ok
}

// chooseOption matches a reply against an enum's options: by value, by
// label (or the label's part before a bracket) in Chinese or English, by a
// part of one Chinese label only (小型 for 小型企业), or by position (1,
// 第一个).
func chooseOption(f *kb.Fact, folded string) (any, bool) {
	text := strings.TrimSpace(strings.Trim(folded, "。.!！?？ "))
	choices := f.Options
	if len(choices) == 0 {
		choices = f.Values
	}
	pos := strings.TrimSuffix(strings.TrimPrefix(text, "第"), "个") // 第二个, 2
	n, err := strconv.Atoi(pos)
	if err != nil {
		if v, ok := zh.ParseNumber(pos); ok {
			n, err = int(v), nil
		}
	}
	if err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1].Value, true
	}
	var found []string
	for _, c := range append(append([]kb.Choice{}, choices...), f.Values...) {
		label := strings.ToLower(c.Label)
		short, _, _ := strings.Cut(label, "（")
		// An English label counts whole, or its part before a bracket:
		// "micro" or "not registered", not the "no" inside "not sure".
		en := strings.ToLower(c.LabelEN)
		enShort, _, _ := strings.Cut(en, " (")
		if text == strings.ToLower(c.Value) || (short != "" && strings.Contains(text, short)) || text == label ||
			en != "" && (text == en || text == enShort) {
			if !contains(found, c.Value) {
				found = append(found, c.Value)
			}
		}
	}
	// A part of a label, without the particles that end a spoken reply:
	// 小型的 is 小型企业.
	if part := strings.TrimRight(text, "的了吧呀啊呢哦嘛"); len(found) == 0 && utf8.RuneCountInString(part) >= 2 {
		for _, c := range append(append([]kb.Choice{}, choices...), f.Values...) {
			if strings.Contains(strings.ToLower(c.Label), part) && !contains(found, c.Value) {
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
