package reading

import (
	"policybot/kb"
	"slices"
)

// dated finds the events that reveal the fact by their date: 2025年毕业,
// 去年被裁, 毕业两年了.
func (fr *frame) dated(sc *scan) []mention {
	if len(fr.events) == 0 {
		return nil
	}
	t := sc.t
	var out []mention
	for _, e := range t.findAll(fr.events) {
		ago, s, ok := int64(0), span{}, false
		// A date before the event, in reach: 2025年6月毕业, 去年毕业.
		for _, d := range sc.dates {
			if d.end <= e.start && t.distance(d.end, e.start) <= sc.reach && !sc.crosses(d.end, e.start) {
				ago, s, ok = d.yearsAgo, span{d.start, e.end}, true
			}
		}
		// Or a date just after it: graduated in June this year, 毕业于2024年.
		if !ok {
			for _, d := range sc.dates {
				if d.start >= e.end && t.distance(e.end, d.start) <= sc.reach && !sc.crosses(e.end, d.start) {
					ago, s, ok = d.yearsAgo, span{e.start, d.end}, true
					break
				}
			}
		}
		// Or how long since, after it: 毕业2年了, 离校3年.
		if !ok {
			rest := string(t.runes[e.end:min(len(t.runes), e.end+6)])
			if m := years.FindStringSubmatchIndex(rest); m != nil && m[0] <= 1 {
				ago, s, ok = atoi(rest, m[2], m[3], m[4], m[5]), span{e.start, e.end + len([]rune(rest[:m[1]]))}, true
			}
		}
		if !ok {
			continue
		}
		if v, found := fr.datedValue(int64(sc.today.Year())-ago, ago); found {
			out = append(out, mention{frame: fr, span: s, value: v, kind: byNumber, dated: true})
		}
	}
	return out
}

// datedValue is the value the schema gives an event of year, ago years
// before today; none for a year to come.
func (fr *frame) datedValue(year, ago int64) (any, bool) {
	if ago < 0 {
		return nil, false
	}
	if len(fr.fact.Dated.Values) == 0 {
		return ago, true // years since: an age
	}
	for _, rule := range fr.fact.Dated.Values {
		switch {
		case rule.Year != 0 && int64(rule.Year) != year:
			continue
		case rule.YearsAgo != nil && ago > int64(*rule.YearsAgo):
			continue
		}
		v, err := fr.fact.Normalize(rule.Value)
		return v, err == nil
	}
	return nil, false
}

// lasted finds a duration near one of the frame's words: 稳定工作7个月了
// (at least six months: yes), 交了2年失业保险 (24 months).
func (fr *frame) lasted(sc *scan) []mention {
	if len(fr.lasting) == 0 {
		return nil
	}
	t := sc.t
	var out []mention
	words := t.findAll(fr.lasting)
	// Words of a count in months with no length near: denied, they say none
	// (从来没交过失业保险 is 0 months).
	if fr.fact.Type == kb.FactInt {
		for _, w := range words {
			if !slices.ContainsFunc(sc.ds, func(d duration) bool { return sc.clauseAt(d.span) == sc.clauseAt(w) }) {
				out = append(out, mention{frame: fr, span: w, kind: byHireAny, lasting: true})
			}
		}
	}
	for _, d := range sc.ds {
		near := sc.pending == fr.fact.Key // asked how long, a length alone answers
		for _, w := range words {
			gap := t.distance(w.end, d.start)
			if w.start > d.end {
				gap = t.distance(d.end, w.start)
			}
			if gap <= sc.reach && !sc.crosses(min(w.end, d.end), max(w.start, d.start)) {
				near = true
			}
		}
		if !near {
			continue
		}
		m := mention{frame: fr, span: d.span, kind: byNumber, lasting: true, months: d.months}
		if fr.fact.Type == kb.FactBool {
			m.value = d.months >= int64(fr.fact.Lasting.AtLeast)
		} else {
			m.value = d.months
		}
		out = append(out, m)
	}
	return out
}
