package reading

import (
	"slices"
	"strings"

	"policybot/kb"
)

// denied counts the denials that reach a mention in its scope, and reports
// whether they deny it: an odd number does.
func (r *Reader) denied(t *text, f found, m mention, all []mention, scope span) bool {
	reach := r.cues.Scope.Reach
	// The nearest denial before the mention counts, if nothing stands in
	// between but words joined to it (没有招脱贫人口和残疾人: both; 没登记失
	// 业在跑滴滴: the first only) and it is not part of another mention (没
	// 有工作 is a phrase of its own); so do denials stacked right before it
	// (不是没交过, 难道我不算): two affirm. A denial of another mention in
	// between is that mention's (不是快递员也不是骑手).
	n := 0
	next := m.start
	for i := len(f.negBefore) - 1; i >= 0; i-- {
		s := f.negBefore[i]
		if s.end > next || s.start < scope.start || t.distance(s.end, m.start) > reach || insideMention(all, s, m) {
			continue
		}
		if n == 0 && r.blocked(t, all, s.end, m) {
			break
		}
		if n > 0 && (r.gap(t, f, s.end, next) > 1 || mentionBetween(all, s.end, next)) {
			break
		}
		n++
		next = s.start
	}
	// A denial after it, at the end of its scope, with nothing but joined
	// mentions and fillers between (残疾人也没有, 脱贫户、残疾人这些我都不是).
	// Denied before already, a denial after it counts only if nothing
	// follows it (不是脱贫户也不是残疾人: the second 不是 is the second's).
	for _, s := range f.negAfter {
		tail := t.distance(s.end, scope.end)
		if tail > 1 && r.made(t, span{s.end, scope.end}, r.cues.Negation.AfterVerbs) {
			tail = 0 // 歧视也没遇到过: the verb is the denial's
		}
		if s.start >= m.end && s.end <= scope.end && r.afterReach(t, all, m, s.start) && tail <= 1 &&
			(n == 0 || tail == 0 && s.start == m.end) && !mentionBetween(all, s.end, scope.end) {
			n++
			break
		}
	}
	// A denial inside the mention's gap counts too (失业金我没有领).
	for _, s := range f.negBefore {
		if s.start >= m.inside.start && s.end <= m.inside.end && m.inside.end > m.inside.start {
			n++
			break
		}
	}
	return n%2 == 1
}

// insideMention reports whether a denial is part of a mention other than m:
// 没有 in 没有工作, a phrase of its own.
func insideMention(all []mention, s span, m mention) bool {
	for _, o := range all {
		if o.span != m.span && o.span.start <= s.start && s.end <= o.span.end {
			return true
		}
	}
	return false
}

// blocked reports whether another mention stands between position from and
// mention m without being joined to it: then a cue at from reaches only
// the mention nearer to it.
func (r *Reader) blocked(t *text, all []mention, from int, m mention) bool {
	for _, o := range all {
		if o.start < from || o.end > m.start || o.span == m.span {
			continue
		}
		between := strings.TrimSpace(string(t.runes[o.end:m.start]))
		if between == "" || prefixIn([]rune(between), 0, r.cues.Scope.Joins) == "" {
			return true
		}
	}
	return false
}

// gap is how far apart two stacked denials are, not counting the speaker's
// own words between them (难道我不算: 难道 and 不 are stacked).
func (r *Reader) gap(t *text, f found, from, to int) int {
	n := t.distance(from, to)
	for _, s := range f.self {
		if s.start >= from && s.end <= to {
			n -= t.distance(s.start, s.end)
		}
	}
	return n
}

// afterReach reports whether a denial at position at, after mention m, is
// near enough to deny it: two characters away, or with only mentions joined
// to m and fillers (这些, 我, 都) between.
func (r *Reader) afterReach(t *text, all []mention, m mention, at int) bool {
	if t.distance(m.end, at) <= 2 {
		return true
	}
	rest := t.runes[m.end:at]
	for i := 0; i < len(rest); {
		if rest[i] == ' ' {
			i++
			continue
		}
		if w := prefixIn(rest, i, r.cues.Scope.Joins); w != "" {
			i += len([]rune(w))
			continue
		}
		if w := prefixIn(rest, i, r.cues.Negation.AfterFillers); w != "" {
			i += len([]rune(w))
			continue
		}
		skipped := false
		for _, o := range all {
			if o.start == m.end+i && o.end <= at {
				i += o.end - o.start
				skipped = true
				break
			}
		}
		if !skipped {
			return false
		}
	}
	return true
}

// mentionBetween reports whether a mention starts between two positions.
func mentionBetween(all []mention, from, to int) bool {
	for _, m := range all {
		if m.start >= from && m.start < to {
			return true
		}
	}
	return false
}

// elliptic applies a clause that is only a denial, an affirmation or a
// hedge to what the clause before it named, of the speaker: 我以前是低保户，
// 现在不是了 (not now); 我们家邻居是低保户，我们家不是 (not the speaker);
// 我家那口子不是残疾人，我是 (the speaker is); 我是低保户，应该是吧 (unsure).
func (r *Reader) elliptic(t *text, m *message, f found) {
	for i := 1; i < len(m.clauses); i++ {
		cl := m.clauses[i]
		// Who speaks (我是, 我们) is no fact of its own here.
		if slices.ContainsFunc(m.mentions, func(j judged) bool {
			return j.start >= cl.start && j.start < cl.end && j.frame.fact.Key != kb.RoleFact
		}) {
			continue
		}
		hedge := hasIn(f.hedges, cl.span) && r.bare(t, cl, r.cues.Hedges, r.cues.Yes)
		deny := !hedge && ((hasIn(f.negBefore, cl.span) || hasIn(f.negAfter, cl.span)) && r.bare(t, cl, r.cues.No, r.cues.Negation.Before) ||
			r.bare(t, cl, r.cues.Ended))
		affirm := !hedge && !deny && hasIn(f.self, cl.span) && r.bare(t, cl, r.cues.Yes)
		if !hedge && !deny && !affirm {
			continue
		}
		prev := m.clauses[i-1]
		for k := range m.mentions {
			j := &m.mentions[k]
			if j.start < prev.start || j.start >= prev.end || j.kind != byPhrase {
				continue
			}
			switch {
			case hedge:
				j.hedged = true
			default:
				j.asserted, j.negated, j.hedged = true, deny, false
			}
		}
	}
}

// bare reports whether a clause is made of nothing but the words of lists
// and those that may stand around a bare answer (现在, 也, 了, 我 …).
func (r *Reader) bare(t *text, cl clause, lists ...[]string) bool {
	return r.made(t, cl.span, append([][]string{r.cues.Elliptic}, lists...)...)
}

// made reports whether a span is made of nothing but the words of lists,
// spaces and marks.
func (r *Reader) made(t *text, s span, lists ...[]string) bool {
	rest := []rune(strings.TrimSpace(t.slice(s)))
	for i := 0; i < len(rest); {
		if isMark(rest[i]) {
			i++
			continue
		}
		w := ""
		for _, l := range lists {
			if w == "" {
				w = prefixIn(rest, i, l)
			}
		}
		if w == "" {
			return false
		}
		i += len([]rune(w))
	}
	return true
}
