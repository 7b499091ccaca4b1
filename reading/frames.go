package reading

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"policybot/kb"
)

// frame is what reveals one fact in text: its phrases per value, its
// patterns for a number, the people an employer hires, the dated events
// and the durations that tell it.
type frame struct {
	fact    *kb.Fact
	phrases []valuePhrase // longest first
	hires   []string      // longest first
	events  []string      // longest first
	lasting []string      // longest first
	gapped  []valuePhrase // phrases with a gap
	inReply []valuePhrase // phrases that count only in a reply to the fact's question
	alone   []valuePhrase // phrases that count only as a clause of their own
	words   []string      // words a mention of another fact may be a part of
}

type valuePhrase struct {
	text  string
	value string
	parts []string // a phrase with a gap (拿过…稳岗返还): its parts, in order
}

// gap marks where a phrase lets other words in: 拿过…稳岗返还 matches 今年拿过
// 服务业领域困难行业的稳岗返还, its parts in order within reach in one clause.
const gap = "…"

// newFrame compiles what reveals a fact; norm writes its phrases the way
// messages are written before matching (一家 is 1家 in both).
func newFrame(f *kb.Fact, norm func(string) string) *frame {
	fr := &frame{fact: f, hires: longestFirst(f.Hires)}
	for value, list := range f.Recognise.Phrases {
		for _, p := range list {
			p = norm(strings.ToLower(p))
			switch {
			case strings.Contains(p, gap):
				fr.gapped = append(fr.gapped, valuePhrase{text: p, value: value, parts: strings.Split(p, gap)})
			case p != "":
				fr.phrases = append(fr.phrases, valuePhrase{text: p, value: value})
			}
		}
	}
	slices.SortStableFunc(fr.phrases, func(a, b valuePhrase) int {
		if c := cmp.Compare(len([]rune(b.text)), len([]rune(a.text))); c != 0 {
			return c
		}
		return cmp.Compare(a.value, b.value)
	})
	if f.Dated != nil {
		fr.events = longestFirst(f.Dated.Events)
	}
	if f.Lasting != nil {
		fr.lasting = longestFirst(f.Lasting.Words)
	}
	for value, list := range f.InReply {
		for _, p := range list {
			fr.inReply = append(fr.inReply, valuePhrase{text: norm(strings.ToLower(p)), value: value})
		}
	}
	slices.SortStableFunc(fr.inReply, func(a, b valuePhrase) int { return cmp.Compare(len(b.text), len(a.text)) })
	for value, list := range f.Alone {
		for _, p := range list {
			fr.alone = append(fr.alone, valuePhrase{text: strings.ToLower(p), value: value})
		}
	}
	// A bool's phrases name a thing of their own (领取失业保险金); an enum's
	// name a kind (小型企业 is still an enterprise).
	if f.Type == kb.FactBool {
		for _, p := range fr.phrases {
			fr.words = append(fr.words, p.text)
		}
	}
	fr.words = append(append(append(fr.words, fr.hires...), fr.events...), fr.lasting...)
	return fr
}

// kind of a mention: how its value came about, which decides what cues
// apply to it. A hedge leaves a phrase unknown, not a number (大概二十个人
// is about 20).
type kind int

const (
	byPhrase  kind = iota // a phrase of a value
	byNumber              // a pattern's number, a duration, a date
	byHire                // a hiring verb and the people hired
	byHireAny             // people hired, without how many
)

// mention is one place a message speaks of a fact.
type mention struct {
	frame *frame
	span
	value any // as the schema normalises it; nil for byHireAny
	kind  kind
	// group is where a hire mention names the people hired: no other fact
	// may be read there (残疾人 in 没有招残疾人 is not the speaker's).
	group span
	// inside is a stretch within the mention where a denial counts as if
	// before it: the gap of 失业金…领 in 失业金我没有领, or what stands
	// between a hiring verb and the people (招的人里没有脱贫户).
	inside span
	// lasting mentions are durations: how many months.
	lasting bool
	months  int64
}

// scan is what frames look in: the normalized message and what was found in
// it that every frame uses.
type scan struct {
	t        *text
	verbs    []span // hiring verbs
	ds       []duration
	dates    []date
	reach    int
	today    time.Time
	breaks   []span   // where clauses end
	measures []string // measure words after a count: 3名
	// pending is the fact asked for last: in a reply to it, its people
	// need no hiring verb (残疾人也没有) and its durations no words (七个多月).
	pending string
}

// clauseAt is the clause around a span, without spaces at its ends.
func (sc *scan) clauseAt(s span) span {
	start, end := 0, len(sc.t.runes)
	for _, b := range sc.breaks {
		if b.end <= s.start {
			start = b.end
		}
		if b.start >= s.end && b.start < end {
			end = b.start
		}
	}
	for start < end && sc.t.runes[start] == ' ' {
		start++
	}
	for end > start && sc.t.runes[end-1] == ' ' {
		end--
	}
	return span{start, end}
}

// crosses reports whether a clause ends between two positions.
func (sc *scan) crosses(from, to int) bool {
	for _, b := range sc.breaks {
		if b.start >= from && b.start < to {
			return true
		}
	}
	return false
}

// mentions lists every place the message speaks of the frame's fact.
func (fr *frame) mentions(sc *scan) []mention {
	t := sc.t
	var out []mention
	f := fr.fact
	// Phrases: the longest at a place wins (不是农民工 over 农民工).
	var taken []span
	for _, p := range fr.phrases {
		for _, s := range t.find(p.text) {
			if overlapsAny(taken, s) {
				continue
			}
			v, err := f.Normalize(p.value)
			if err != nil {
				continue
			}
			taken = append(taken, s)
			out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase})
		}
	}
	// Words that speak of the fact only in a reply to its question.
	if sc.pending == f.Key {
		for _, p := range fr.inReply {
			for _, s := range t.find(p.text) {
				if overlapsAny(taken, s) {
					continue
				}
				if v, err := f.Normalize(p.value); err == nil {
					taken = append(taken, s)
					out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase})
				}
			}
		}
	}
	// A phrase with a gap: its parts in order, in reach, in one clause.
	for _, p := range fr.gapped {
		for _, first := range t.find(p.parts[0]) {
			s, ok := first, true
			for _, part := range p.parts[1:] {
				next, found := span{}, false
				for _, o := range t.find(part) {
					if o.start >= s.end && t.distance(s.end, o.start) <= sc.reach && !sc.crosses(s.end, o.start) {
						next, found = o, true
						break
					}
				}
				if !found {
					ok = false
					break
				}
				s.end = next.end
			}
			if !ok || overlapsAny(taken, s) {
				continue
			}
			if v, err := f.Normalize(p.value); err == nil {
				taken = append(taken, s)
				inside := span{first.end, s.end - len([]rune(p.parts[len(p.parts)-1]))}
				out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase, inside: inside})
			}
		}
	}
	// A phrase alone: 女 in 47岁，女，打零工.
	for _, p := range fr.alone {
		for _, s := range t.find(p.text) {
			if sc.clauseAt(s) != s {
				continue
			}
			if v, err := f.Normalize(p.value); err == nil {
				out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase})
			}
		}
	}
	for _, re := range f.Recognise.Patterns {
		for _, m := range re.FindAllStringSubmatchIndex(t.s, -1) {
			v, err := f.Normalize(t.s[m[2]:m[3]])
			if err != nil {
				continue
			}
			out = append(out, mention{frame: fr, span: span{t.byteToRune[m[0]], t.byteToRune[m[1]]}, value: v, kind: byNumber})
		}
	}
	out = append(out, fr.hired(sc)...)
	out = append(out, fr.dated(sc)...)
	out = append(out, fr.lasted(sc)...)
	return out
}

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
			out = append(out, mention{frame: fr, span: s, value: v, kind: byNumber})
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
				out = append(out, mention{frame: fr, span: w, kind: byHireAny})
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

// sortedKeys lists a map's keys longest first.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}
