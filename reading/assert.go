package reading

import "policybot/kb"

// facts turns judged mentions into facts and topics. A fact's value: a
// phrase's value, denied for a bool (不是脱贫户: false), the schema's if_not
// for an enum (不是农民工: no), 0 for people not hired (没有招残疾人); a
// denied enum value without if_not says nothing, unless every value the
// schema recognises but none is denied (不是快递员也不是骑手: no), and an
// any-of denied in two of its parts or more is false. Where mentions of one fact
// disagree, an affirmed value beats one from a denial, then the later wins
// (不对，是大型企业).
func (r *Reader) facts(t *text, ms []judged) ([]Fact, []string) {
	type pick struct {
		fact   Fact
		denial bool
		pos    int
	}
	picks := map[string]pick{}
	topics := map[string]bool{}
	torn := map[string]bool{}              // bools read both true and false: not known
	denied := map[string]map[string]bool{} // an enum's values denied, by fact
	for _, j := range ms {
		f := j.frame.fact
		if !j.asserted {
			topics[f.Key] = true
			continue
		}
		if j.negated && j.kind == byPhrase && !j.category && (f.Type == kb.FactEnum || f.AnyOf) {
			if denied[f.Key] == nil {
				denied[f.Key] = map[string]bool{}
			}
			what := t.slice(j.span) // an any-of's part: 欠薪, 歧视
			if f.Type == kb.FactEnum {
				what, _ = j.value.(string)
			}
			denied[f.Key][what] = true
		}
		v, ok := value(f, j)
		if !ok {
			if none, ok := noneDenied(f, denied[f.Key]); ok {
				picks[f.Key] = pick{Fact{Key: f.Key, Value: none, Negated: true, Certainty: Sure, By: ByRules, Words: t.slice(j.span)}, true, j.start}
				delete(topics, f.Key)
				continue
			}
			topics[f.Key] = true
			continue
		}
		certainty := Sure
		if j.hedged {
			certainty = Hedged
		}
		p := pick{Fact{Key: f.Key, Value: v, Negated: j.negated, Certainty: certainty, By: ByRules}, j.negated, j.start}
		old, seen := picks[f.Key]
		if seen && f.Type == kb.FactBool && old.fact.Certainty == Sure && certainty == Sure && old.fact.Value != v {
			torn[f.Key] = true // 没享受过服务业那个稳岗返还，只是领过普通的: which?
		}
		switch {
		case !seen:
		case old.fact.Certainty == Sure && certainty == Hedged:
			continue
		case old.fact.Certainty == Hedged && certainty == Sure:
		case old.denial && !p.denial:
		case !old.denial && p.denial:
			continue
		case p.pos < old.pos:
			continue
		}
		p.fact.Words = t.slice(j.span)
		picks[f.Key] = p
	}
	var facts []Fact
	var tops []string
	for _, f := range r.schema.Facts {
		if p, ok := picks[f.Key]; ok && !torn[f.Key] {
			facts = append(facts, p.fact)
		} else if topics[f.Key] || torn[f.Key] {
			tops = append(tops, f.Key)
		}
	}
	return facts, tops
}

// value is what a judged mention says the fact is.
func value(f *kb.Fact, j judged) (any, bool) {
	switch {
	case j.category && j.negated:
		return f.Category.Not, true
	case j.category:
		return nil, false
	case j.kind == byHireAny && j.negated && f.Type == kb.FactInt:
		return int64(0), true
	case j.kind == byHireAny:
		return nil, false
	case !j.negated:
		return j.value, true
	}
	switch f.Type {
	case kb.FactBool:
		if j.lasting { // 不满6个月 is under six; 不到7个月 may be six
			return false, j.months <= int64(f.Lasting.AtLeast)
		}
		if f.AnyOf {
			return nil, false // 我不是退捕渔民: a closed plant's worker may still be
		}
		b, _ := j.value.(bool)
		return !b, true
	case kb.FactEnum:
		s, _ := j.value.(string)
		if to, ok := f.IfNot[s]; ok {
			return to, true
		}
	case kb.FactInt:
		if j.kind == byHire {
			return int64(0), true
		}
	}
	return nil, false
}

// noneDenied reports an enum's value for none (none, no) when denied holds
// every other value its phrases recognise, and false for an any-of when
// two or more of its parts are denied (工资没拖欠，歧视也没遇到过).
func noneDenied(f *kb.Fact, denied map[string]bool) (any, bool) {
	if f.AnyOf {
		return false, len(denied) >= 2
	}
	none := ""
	for _, c := range f.Values {
		if c.Value == "none" || c.Value == "no" {
			none = c.Value
		}
	}
	if none == "" || len(denied) < 2 {
		return "", false
	}
	for v, phrases := range f.Recognise.Phrases {
		if v != none && len(phrases) > 0 && !denied[v] {
			return "", false
		}
	}
	return none, true
}
