package reading

import (
	"policybot/kb"
	"slices"
	"strconv"
	"strings"
)

// hired finds the people an employer says it hired: a hiring verb, then
// within reach one of the frame's hires, with how many between them (招了3个
// 应届生) or after (应届生3名).
func (fr *frame) hired(sc *scan) []mention {
	if len(fr.hires) == 0 {
		return nil
	}
	t := sc.t
	var out []mention
	groups := t.findAll(fr.hires)
	verbs := sc.verbs
	if sc.pending == fr.fact.Key {
		// Asked whom they hired, the people alone answer, clause by clause:
		// 有两个脱贫户，登记失业的毕业生没有.
		for _, g := range groups {
			c := sc.clauseAt(g)
			if !slices.ContainsFunc(sc.verbs, func(v span) bool { return v.start >= c.start && v.end <= g.start }) {
				verbs = append(verbs, span{c.start, c.start})
			}
		}
	}
	if sc.pending == fr.fact.Key && fr.fact.Type == kb.FactInt && len(groups) == 0 {
		// Asked how many they hired, 招了两个 needs no people named.
		for _, v := range sc.verbs {
			if after := sc.leadingCount(v.end); after != "" {
				n, _ := countIn(after)
				if val, err := fr.fact.Normalize(n); err == nil {
					out = append(out, mention{frame: fr, span: span{v.start, v.end + len([]rune(after))}, value: val, kind: byHire})
				}
			}
		}
	}
	// The people before the verb: 一个应届毕业生都没招, 残疾人我们也招了两个.
	for _, g := range groups {
		for _, v := range sc.verbs {
			if v.start < g.end || t.distance(g.end, v.start) > sc.reach/2 || sc.crosses(g.end, v.start) {
				continue
			}
			if slices.ContainsFunc(sc.verbs, func(w span) bool { return w.end <= g.start && sc.clauseAt(w) == sc.clauseAt(g) }) {
				break // a verb before them takes them
			}
			start := g.start
			count := sc.countBefore(g.start)
			if count != "" {
				start -= len([]rune(count))
			}
			m := mention{frame: fr, span: span{start, v.end}, kind: byHireAny, group: g, inside: span{g.end, v.start}}
			if n, ok := countIn(count + string(t.runes[v.end:min(len(t.runes), v.end+4)])); ok && count != "" {
				m.kind, m.value = byHire, n
			} else if after := sc.leadingCount(v.end); after != "" {
				n, _ := countIn(after)
				m.kind, m.value = byHire, n
			}
			if fr.fact.Type == kb.FactBool {
				m.kind, m.value = byHire, true
			}
			if m.kind == byHire {
				val, err := fr.fact.Normalize(m.value)
				if err != nil {
					break
				}
				m.value = val
			}
			out = append(out, m)
			break
		}
	}
	for _, v := range verbs {
		for _, g := range groups {
			{
				if g.start < v.end || t.distance(v.end, g.start) > sc.reach || sc.crosses(v.end, g.start) {
					continue
				}
				// The nearest verb before the people takes them: 没招残疾人招了
				// 三个脱贫户 hired the three.
				if slices.ContainsFunc(verbs, func(w span) bool { return w.start > v.start && w.end <= g.start }) {
					continue
				}
				m := mention{frame: fr, span: span{min(v.start, g.start), g.end}, kind: byHireAny, group: g, inside: span{v.end, g.start}}
				between := string(t.runes[v.end:g.start])
				if n, ok := countIn(between); ok {
					m.kind, m.value = byHire, n
				} else if after := sc.leadingCount(g.end); after != "" {
					n, _ := countIn(after)
					m.kind, m.value = byHire, n
					m.end += len([]rune(after))
				}
				if fr.fact.Type == kb.FactBool {
					m.kind, m.value = byHire, true
				}
				if m.kind == byHire {
					if v, err := fr.fact.Normalize(m.value); err == nil {
						m.value = v
					} else {
						continue
					}
				}
				out = append(out, m)
				break
			}
		}
	}
	return out
}

// countIn reads how many people a stretch between a hiring verb and the
// people names: 了3个, 了3名 — a number, and nothing but measure words and
// particles around it.
func countIn(s string) (int64, bool) {
	digits := strings.TrimFunc(s, func(r rune) bool { return !isDigitRune(r) })
	if digits == "" || strings.ContainsFunc(digits, func(r rune) bool { return !isDigitRune(r) }) {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// countBefore is the count that ends at position i, with its measure word:
// 3个 in 3个应届生都招了.
func (sc *scan) countBefore(i int) string {
	runes := sc.t.runes
	j := i
	if m := suffixIn(runes[:i], sc.measures); m != "" {
		j -= len([]rune(m))
	}
	k := j
	for k > 0 && isDigitRune(runes[k-1]) {
		k--
	}
	if k == j {
		return ""
	}
	return string(runes[k:i])
}

// suffixIn returns the first of words (longest first) that runes ends with.
func suffixIn(runes []rune, words []string) string {
	s := string(runes[max(0, len(runes)-8):])
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return w
		}
	}
	return ""
}

// leadingCount is the number that starts at position i, with its measure
// word: 3名 in 应届生3名.
func (sc *scan) leadingCount(i int) string {
	runes := sc.t.runes
	j := i
	for j < len(runes) && isDigitRune(runes[j]) {
		j++
	}
	if j == i {
		return ""
	}
	return string(runes[i:j]) + prefixIn(runes, j, sc.measures)
}
