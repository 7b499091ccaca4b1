package bot

import (
	"regexp"
	"strconv"
	"strings"

	"policybot/kb"
	"policybot/zh"
)

// read learns the facts a message gives: whatever the schema recognises in
// it, and the answer to the question pending, however it is written (a
// yes or no, a number in digits or characters, an option's label or its
// position). Later facts replace earlier ones: "不对，我们是大型企业"
// corrects the size given before.
func (e *Engine) read(t *turn, intent Intent) {
	seen := e.schema.Recognise(t.folded)
	if v, ok := seen["role"]; ok {
		e.keep(t, "role", v, "text")
	}
	for k, v := range seen {
		if k != "role" && e.concerns(k, t.st.Facts["role"]) {
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
	}
}

// keep validates a fact against the schema and stores it.
func (e *Engine) keep(t *turn, key string, value any, source string) {
	v, err := e.schema.Normalize(key, value)
	if err != nil {
		return
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
// label (or the label's part before a bracket), or by position (1, 第一个).
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
