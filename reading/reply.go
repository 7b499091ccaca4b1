package reading

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/zh"
)

// reply reads a message as the answer to the question for fact f, when
// the schema's frames did not read it: a yes or no, a number in the fact's
// unit, an option's label or a part of it, or its position. alone says the
// message stated no other fact; a reply that does ("是的，都满6个月了" to
// another question) is not taken as a yes to this one.
func (r *Reader) reply(f *kb.Fact, m *message, alone bool) (any, string, bool) {
	folded := m.t.s
	// A reply may echo the question first (当兵？没当过): the answer follows.
	if m.echo {
		folded = string(m.t.runes[m.clauses[1].start:])
	}
	named := slices.ContainsFunc(m.mentions, func(j judged) bool { return j.frame.fact == f })
	switch f.Type {
	case kb.FactBool:
		// 不是渔民 to a question of fishers or closed plants' workers denies
		// one of them only: no plain no.
		if f.AnyOf && named {
			return nil, "", false
		}
		if yes, ok := r.yesNo(folded); ok && alone && !m.hedged {
			return yes, folded, true
		}
		// 今年拿过了, 都办了: telling it happened, with no denial, is a yes
		// (not 过 inside a word: 还过得去).
		if len(m.clauses) == 0 {
			break // nothing but marks: ？？？
		}
		if first := m.clauses[0]; alone && !m.hedged && !m.denies && len(m.clauses) <= 2 && first.end-first.start <= 8 &&
			slices.ContainsFunc(r.cues.Question.Realis, func(c string) bool {
				return strings.HasSuffix(strings.TrimRight(m.t.slice(first.span), strings.Join(r.cues.Particles, "")), c)
			}) {
			return true, m.t.slice(first.span), true
		}
	case kb.FactInt:
		// 没有 or 一个都没有 is 0 where 0 is an answer the buttons offer
		// (hires, months insured), not an amount to borrow.
		zero := slices.ContainsFunc(f.Options, func(c kb.Choice) bool { return c.Value == "0" })
		// Some said of it, none said of part of it (脱贫户倒是招了不少，登记
		// 失业的毕业生一个没有): not none.
		some := slices.ContainsFunc(m.mentions, func(j judged) bool { return j.frame.fact == f && !j.negated })
		if zero && !some && r.none(m) {
			return int64(0), folded, true
		}
		if !alone && len(number.FindAllString(folded, -1)) != 1 {
			return nil, "", false
		}
		if n, ok := r.numberIn(f, folded); ok {
			return n, folded, true
		}
		if n, ok := r.spokenNumber(f, folded); ok {
			return n, folded, true
		}
	case kb.FactEnum:
		// An option named in the reply, or in one of its clauses: 其他的，
		// 企业自己办的培训中心; Small, roughly thirty people.
		if m.hedged {
			return nil, "", false // 说不准，可能算是科研人员吧
		}
		if v, ok := r.chooseOption(f, folded); ok {
			return v, folded, true
		}
		for _, c := range m.clauses {
			if v, ok := r.chooseOption(f, m.t.slice(c.span)); ok {
				return v, m.t.slice(c.span), true
			}
		}
		// A plain 不是 or 没有 picks the value that says none applies; 还没
		// (毕业) is no such no, nor 不是海归, which denies one value only.
		if yes, ok := r.yesNo(folded); ok && !yes && alone && !named && prefixIn([]rune(folded), 0, r.cues.NotYet) == "" {
			for _, c := range f.Values {
				if c.Value == "no" || c.Value == "none" {
					return c.Value, folded, true
				}
			}
		}
	}
	return nil, "", false
}

// none reports whether a reply says none of a number: 一个都没有, 一个月都没
// 交 (one, then 都 or 也, then a denial), or a plain 没有 with no number.
func (r *Reader) none(m *message) bool {
	for _, z := range r.cues.Zero {
		if strings.Contains(m.t.s, z) {
			return true
		}
	}
	runes := m.t.runes
	for i, c := range runes {
		if c != '1' || i > 0 && isDigitRune(runes[i-1]) || i+1 < len(runes) && isDigitRune(runes[i+1]) {
			continue
		}
		for k := i + 1; k < min(len(runes), i+5); k++ {
			if prefixIn(runes, k, r.cues.Numbers.ZeroParticles) != "" {
				if prefixIn(runes, k+1, r.cues.Negation.Before) != "" {
					return true
				}
			}
		}
	}
	v, ok := r.yesNo(m.t.s)
	return ok && !v && !number.MatchString(m.t.s)
}

// yesNo reads a reply to a yes/no question: it starts with a yes or a no,
// the longest that fits (不就是 is a yes, 不 a no); a reply that starts with
// a longer denial than any no (不能说…) is no plain answer.
func (r *Reader) yesNo(folded string) (bool, bool) {
	text := trimMarks(folded)
	best, yes := "", false
	for _, n := range r.cues.No {
		if len(n) > len(best) && startsWord(text, n) {
			best, yes = n, false
		}
	}
	for _, y := range r.cues.Yes {
		if len(y) > len(best) && startsWord(text, y) {
			best, yes = y, true
		}
	}
	if best == "" {
		return false, false
	}
	for _, d := range r.cues.Negation.Before {
		if len(d) > len(best) && startsWord(text, d) {
			return false, false
		}
	}
	return yes, true
}

// startsWord reports whether text begins with w, and, when w is in Latin
// letters, with the whole word (no is not the start of nothing).
func startsWord(text, w string) bool {
	if !strings.HasPrefix(text, w) {
		return false
	}
	rest := text[len(w):]
	if rest == "" || w[len(w)-1] >= 0x80 {
		return true
	}
	c := rest[0]
	return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
}

var number = regexp.MustCompile(`\d+`)

// numberIn finds the first number in a normalized reply that is in the
// fact's unit, or in none: asked how many 万元 to borrow, "还没满6个月"
// gives no number; for months "2年" is 24, for yuan "1万" is 10000.
func (r *Reader) numberIn(f *kb.Fact, digits string) (int64, bool) {
	for _, m := range number.FindAllStringIndex(digits, -1) {
		n, err := strconv.ParseInt(digits[m[0]:m[1]], 10, 64)
		if err != nil {
			continue
		}
		if times, ok := r.inUnit(f, digits[m[1]:]); ok {
			return times * n, true
		}
	}
	return 0, false
}

// inUnit reports whether a number followed by rest is in the fact's unit,
// and by how much to multiply it to be (2年 is 24个月, 1万 is 10000元).
func (r *Reader) inUnit(f *kb.Fact, rest string) (int64, bool) {
	next, size := utf8.DecodeRuneInString(rest)
	unit, _ := utf8.DecodeRuneInString(f.Unit)
	if times, ok := r.cues.Numbers.Multipliers[string(next)]; ok && unit == '元' {
		if after, _ := utf8.DecodeRuneInString(rest[size:]); !zh.IsHan(after) || after == unit || slices.Contains(r.cues.Numbers.UnitWords["元"], string(after)) {
			return times, true
		}
		return 0, false
	}
	switch {
	case !zh.IsHan(next) || next == unit || slices.Contains(r.cues.Numbers.UnitWords[string(unit)], string(next)):
		return 1, true
	case f.Unit == "个月" && next == '年':
		return 12, true
	}
	return 0, false
}

// spokenNumber reads a reply that is a number in characters with no
// measure word for the digitiser to go by: 三百五十万 (万元), 二十.
func (r *Reader) spokenNumber(f *kb.Fact, folded string) (int64, bool) {
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
	if !strings.ContainsFunc(run, zh.IsDigitNumeral) {
		return 0, false // 万 alone is no number
	}
	times, ok := r.inUnit(f, string(runes[j:])) // 一般 is not 1
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
func (r *Reader) chooseOption(f *kb.Fact, folded string) (any, bool) {
	text := trimMarks(folded)
	choices := f.Options
	if len(choices) == 0 {
		choices = f.Values
	}
	pos := text // 第二个, 2
	for _, p := range r.cues.Ordinal.Before {
		pos = strings.TrimPrefix(pos, p)
	}
	for _, p := range r.cues.Ordinal.After {
		pos = strings.TrimSuffix(pos, p)
	}
	n, err := strconv.Atoi(pos)
	if err != nil {
		if v, ok := zh.ParseNumber(pos); ok {
			n, err = int(v), nil
		}
	}
	if err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1].Value, true
	}
	all := append(slices.Clone(choices), f.Values...)
	var found []string
	for _, c := range all {
		label := strings.ToLower(c.Label)
		short, _, _ := strings.Cut(label, "（")
		// An English label counts whole, or its part before a bracket:
		// "micro" or "not registered", not the "no" inside "not sure".
		en := strings.ToLower(c.LabelEN)
		enShort, _, _ := strings.Cut(en, " (")
		if text == strings.ToLower(c.Value) || (short != "" && strings.Contains(text, short)) || text == label ||
			en != "" && (text == en || text == enShort) {
			if !slices.Contains(found, c.Value) {
				found = append(found, c.Value)
			}
		}
	}
	// A part of a label, without the particles that end a spoken reply:
	// 小型的 is 小型企业.
	part := text
	for trimmed := true; trimmed; {
		trimmed = false
		for _, p := range r.cues.Particles {
			if s, ok := strings.CutSuffix(part, p); ok {
				part, trimmed = s, true
			}
		}
	}
	if len(found) == 0 && utf8.RuneCountInString(part) >= 2 {
		for _, c := range all {
			if r.partOf(strings.ToLower(c.Label), part) && !slices.Contains(found, c.Value) {
				found = append(found, c.Value)
			}
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return nil, false
}

// partOf reports whether part is in label and not denied there: 是农民工 is
// no part of 不是农民工.
func (r *Reader) partOf(label, part string) bool {
	i := strings.Index(label, part)
	if i < 0 {
		return false
	}
	return !slices.ContainsFunc(r.cues.Negation.Before, func(n string) bool { return strings.HasSuffix(label[:i], n) })
}
