package reading

import (
	"slices"
	"strings"

	"policybot/kb"
)

// message is a message taken apart: its normalized text, its clauses and
// scopes, the cues in it, and the facts and topics read from them.
type message struct {
	t        *text
	clauses  []clause
	question bool // some clause asks something
	hedged   bool // the message hedges (好像是吧)
	singular bool // the speaker speaks only as 我, never as 我们
	denies   bool // the message has a denial in it
	facts    []Fact
	topics   []string
	mentions []judged // every mention, judged
}

// clause is a stretch between breaks (，。？…): the unit of a question. Its
// scopes end at turns (但是, 而) too: the unit of a negation or a hedge.
type clause struct {
	span
	question bool
	topic    bool // it ends in a topic particle (低保嘛): it names, it does not tell
	scopes   []span
}

// cues found in a message, each a list of non-overlapping spans.
type found struct {
	negBefore, negAfter, hedges, self, plural, others, suppose, asking, realis, tells, past, intend []span
	workBefore, workAfter                                                                           []span
}

// judged is a mention with what the cues around it say.
type judged struct {
	mention
	negated  bool
	hedged   bool
	asserted bool // the speaker says it of themselves, as a fact
}

// analyse reads a folded message: its clauses, the cues in them, and every
// mention of a fact, judged by the cues in its scope.
func (r *Reader) analyse(folded string, c Context) *message {
	t := newText(r.normalize(folded))
	m := &message{t: t}
	m.clauses = r.clauses(t)
	for _, cl := range m.clauses {
		m.question = m.question || cl.question
	}
	f := r.cues_(t)
	// A reply hedges when its first clause does (好像是吧); a hedge further on
	// (没办过，都不晓得在哪办) is about something else.
	if len(m.clauses) > 0 {
		m.hedged = hasIn(f.hedges, m.clauses[0].span)
	}
	m.singular = len(f.self) > 0 && len(f.plural) == 0
	m.denies = len(f.negBefore) > 0
	sc := &scan{
		t: t, verbs: t.findAll(r.cues.HireVerbs), ds: durations(t), dates: r.dates(t, c.Today),
		reach: r.cues.Scope.Reach, today: c.Today, breaks: t.findAll(r.cues.Scope.Breaks), measures: r.cues.Numbers.Measures,
		pending: c.Pending,
	}
	var all []mention
	for _, fr := range r.frames {
		all = append(all, fr.mentions(sc)...)
	}
	all = dropInner(all, r.vocabulary(t))
	selfSpeaks := len(f.self) > 0 || c.Pending != "" || len(c.Known) > 0 || m.tells(f)
	for _, mn := range all {
		m.mentions = append(m.mentions, r.judge(t, m.clauses, f, mn, all, selfSpeaks))
	}
	r.elliptic(t, m, f)
	m.facts, m.topics = r.facts(t, m.mentions)
	return m
}

// cues_ finds the cues of reading.yaml in a message. Words with a cue in
// them that mean something else (不仅, 差不多, 有没有, 不清楚) are found
// first and hide the cues inside them.
func (r *Reader) cues_(t *text) found {
	c := r.cues
	masks := t.findAll(append(append(append([]string{}, c.Negation.Pseudo...), c.Negation.Alternatives...), c.Hedges...))
	without := func(list []span) []span {
		return slices.DeleteFunc(list, func(s span) bool { return overlapsAny(masks, s) })
	}
	var f found
	f.negBefore = without(t.findAll(c.Negation.Before))
	f.negAfter = without(t.findAll(c.Negation.After))
	f.hedges = t.findAll(c.Hedges)
	subjects := t.findAll(append(append([]string{}, c.Subjects.Others...), c.Subjects.Self...))
	for _, s := range subjects {
		if slices.Contains(c.Subjects.Others, t.slice(s)) {
			f.others = append(f.others, s)
		} else {
			f.self = append(f.self, s)
		}
	}
	f.suppose = without(t.findAll(c.Subjects.Suppose))
	f.past = t.findAll(c.Subjects.Past)
	f.intend = t.findAll(c.Subjects.Intend)
	f.asking = t.findAll(c.Question.Asking)
	f.plural = slices.DeleteFunc(slices.Clone(f.self), func(s span) bool { return !slices.Contains(c.Subjects.Plural, t.slice(s)) })
	f.workBefore = t.findAll(c.Subjects.Workplace.Before)
	f.workAfter = t.findAll(c.Subjects.Workplace.After)
	f.realis = t.findAll(c.Question.Realis)
	f.tells = t.findAll(c.Subjects.Tells)
	return f
}

// clauses splits a normalized message at its breaks, and each clause into
// scopes at its turns; a clause is a question when it has a question mark,
// a question word, an either-or (有没有), or ends in 吗.
func (r *Reader) clauses(t *text) []clause {
	c := r.cues
	breaks := t.findAll(c.Scope.Breaks)
	turns := t.findAll(c.Scope.Turns)
	words := t.findAll(append(append(append([]string{}, c.Question.Words...), c.Negation.Alternatives...), c.Question.Asking...))
	var out []clause
	start := 0
	for i := 0; i <= len(breaks); i++ {
		end, mark := len(t.runes), ""
		if i < len(breaks) {
			end, mark = breaks[i].start, t.slice(breaks[i])
		}
		cl := clause{span: span{start, end}}
		if i < len(breaks) {
			start = breaks[i].end
		}
		if strings.TrimSpace(string(t.runes[cl.start:cl.end])) == "" {
			continue
		}
		cl.question = slices.Contains(c.Question.Marks, mark)
		for _, w := range words {
			if cl.span.contains(w) || cl.span == w {
				cl.question = true
			}
		}
		body := strings.TrimRight(string(t.runes[cl.start:cl.end]), " ~～。.!！")
		for _, e := range c.Question.Endings {
			if strings.HasSuffix(body, e) {
				cl.question = true
			}
		}
		for _, e := range c.Question.Topics {
			if strings.HasSuffix(body, e) {
				cl.topic = true
			}
		}
		s := cl.start
		for _, tn := range turns {
			if tn.start >= cl.start && tn.end <= cl.end {
				if tn.start > s {
					cl.scopes = append(cl.scopes, span{s, tn.start})
				}
				s = tn.end
			}
		}
		cl.scopes = append(cl.scopes, span{s, cl.end})
		out = append(out, cl)
	}
	return out
}

// dropInner drops a mention inside a longer one of the same fact (农民工 in
// 返乡农民工), and any other fact's mention over the people a hiring verb
// names (残疾人 in 招了残疾人 is not the speaker's disability, 毕业 in 招了3个
// 应届高校毕业生 not their graduation).
//
// A phrase inside a longer word of another fact's is that word's part, not a
// mention: 失业 in 失业保险 or 领取失业保险金 is no job lost. (The role's
// words do not count: 公司 in 我们公司 still says it is a company.)
func dropInner(all []mention, vocab []vocabWord) []mention {
	var out []mention
	for i, a := range all {
		inner := false
		if a.kind == byPhrase {
			for _, w := range vocab {
				if w.fact != a.frame.fact.Key && w.span.contains(a.span) {
					inner = true
					break
				}
			}
		}
		for j, b := range all {
			if i == j {
				continue
			}
			hire := b.kind == byHire || b.kind == byHireAny
			if a.frame == b.frame && b.span.contains(a.span) ||
				hire && a.frame != b.frame && a.kind != byHire && a.kind != byHireAny && a.span.overlaps(b.group) {
				inner = true
				break
			}
		}
		if !inner {
			out = append(out, a)
		}
	}
	return out
}

// vocabWord is where a word of a fact's frame stands in a message.
type vocabWord struct {
	span
	fact string
}

// vocabulary finds the words of every frame but the role's in a message.
func (r *Reader) vocabulary(t *text) []vocabWord {
	var out []vocabWord
	for _, fr := range r.frames {
		if fr.fact.Key == kb.RoleFact {
			continue
		}
		for _, w := range fr.words {
			for _, s := range t.find(w) {
				out = append(out, vocabWord{s, fr.fact.Key})
			}
		}
	}
	return out
}

// judge says what the cues around a mention make of it. Negation: the
// denials before it within its scope and reach, and one just after it at the
// scope's end (残疾人也没有); two denials affirm (不是没交过). Hedge: a hedge
// before it in its scope. Asserted: the mention is of the speaker (the last
// subject named before it is the speaker, or none is), not supposed (如果…),
// and, in a question, the speaker names themselves in the clause (我是脱贫
// 户，…吗) or tells what happened (失业了怎么办); outside questions, the
// message speaks of the speaker somewhere, or the clause tells something
// (了, 过, 已经 …) — a bare 应届生补贴 is a topic, not a statement.
func (r *Reader) judge(t *text, clauses []clause, f found, m mention, all []mention, selfSpeaks bool) judged {
	j := judged{mention: m}
	cl, scope := where(clauses, m.span)
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
		if s.start >= m.end && s.end <= scope.end && r.afterReach(t, all, m, s.start) && tail <= 2 &&
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
	j.negated = n%2 == 1
	if m.kind == byPhrase {
		for _, s := range f.hedges {
			if s.end <= m.start && s.start >= scope.start {
				j.hedged = true
			}
		}
	}
	// Whom the mention is of: the last subject named before it.
	other, lastSelf := -1, -1
	for _, s := range f.others {
		if s.end <= m.start || s.start == m.start {
			other = s.start
		}
	}
	selfInClause := false
	for _, s := range f.self {
		if s.end <= m.start || s.start == m.start {
			lastSelf = s.start
			if s.start >= cl.start && !r.asks(t, f, s) {
				selfInClause = true
			}
		}
	}
	if other > lastSelf || r.atWork(t, cl, f, m) {
		return j
	}
	// A supposition (如果我是…), an enquiry (咨询创业担保贷款), what was
	// (我以前是低保户) or was only meant (想去外省打工) names topics.
	for i, list := range [][]span{f.suppose, f.asking, f.past, f.intend} {
		if i == 2 && m.kind != byPhrase {
			continue // 之前交了一年半失业保险: what was paid then still counts
		}
		for _, s := range list {
			if s.end <= m.start && s.start >= cl.start {
				return j
			}
		}
	}
	switch {
	case cl.question || cl.topic:
		j.asserted = selfInClause || r.realis(t, f, m)
	default:
		// A number, a date or a length is always someone's: 2025年毕业.
		j.asserted = selfSpeaks || j.negated || m.kind != byPhrase
	}
	return j
}

// atWork reports whether a mention of an organisation's fact names where the
// speaker works (在私企上班, 进了国企工作): a fact no person's rule reads,
// between a workplace word before it and a work word after it.
func (r *Reader) atWork(t *text, cl clause, f found, m mention) bool {
	if slices.Contains(r.claims[m.frame.fact.Key], individual) || len(r.claims[m.frame.fact.Key]) == 0 {
		return false
	}
	before, after := false, false
	for _, s := range f.workBefore {
		if s.end <= m.start && s.start >= cl.start && t.distance(s.end, m.start) <= r.cues.Scope.Reach {
			before = true
		}
	}
	for _, s := range f.workAfter {
		if s.start >= m.end && s.end <= cl.end && t.distance(m.end, s.start) <= r.cues.Scope.Reach {
			after = true
		}
	}
	return before && after
}

// elliptic applies a clause that is only a denial (现在不是了, 我们家不是)
// to what the clause before it named: 我以前是低保户，现在不是了 says the
// speaker is not; 我们家邻居是低保户，我们家不是 says the same of the speaker.
func (r *Reader) elliptic(t *text, m *message, f found) {
	for i := 1; i < len(m.clauses); i++ {
		cl := m.clauses[i]
		if !r.bareDenial(t, f, cl) || slices.ContainsFunc(m.mentions, func(j judged) bool { return j.start >= cl.start && j.start < cl.end }) {
			continue
		}
		prev := m.clauses[i-1]
		for k := range m.mentions {
			j := &m.mentions[k]
			if j.start >= prev.start && j.start < prev.end && j.kind == byPhrase {
				j.asserted, j.negated, j.hedged = true, true, false
			}
		}
	}
}

// bareDenial reports whether a clause is a denial and nothing else but the
// words that may stand around one.
func (r *Reader) bareDenial(t *text, f found, cl clause) bool {
	if !hasIn(f.negBefore, cl.span) && !hasIn(f.negAfter, cl.span) {
		return false
	}
	rest := []rune(strings.TrimSpace(t.slice(cl.span)))
	for i := 0; i < len(rest); {
		w := prefixIn(rest, i, r.cues.Elliptic)
		if w == "" {
			w = prefixIn(rest, i, r.cues.No)
		}
		if w == "" {
			w = prefixIn(rest, i, r.cues.Negation.Before)
		}
		if w == "" {
			return false
		}
		i += len([]rune(w))
	}
	return true
}

// tells reports whether the message tells something outside its questions.
func (m *message) tells(f found) bool {
	for _, cl := range m.clauses {
		if !cl.question && (hasIn(f.tells, cl.span) || hasIn(f.negBefore, cl.span)) {
			return true
		}
	}
	return false
}

// asks reports whether a self-mention goes with asking (我想问, 我想了解):
// the speaker asks, and says nothing of themselves.
func (r *Reader) asks(t *text, f found, self span) bool {
	for _, a := range f.asking {
		if a.start >= self.end && t.distance(self.end, a.start) <= 2 {
			return true
		}
	}
	return false
}

// realis reports whether a mention tells what happened: 了 or 过 in it or
// just after it (失业了, 被裁了, 招了3个).
func (r *Reader) realis(t *text, f found, m mention) bool {
	for _, s := range f.realis {
		if s.start >= m.start && s.start <= m.end+1 {
			return true
		}
	}
	return false
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

func hasIn(list []span, within span) bool {
	for _, s := range list {
		if s.start >= within.start && s.end <= within.end {
			return true
		}
	}
	return false
}

// where finds the clause and scope a mention is in.
func where(clauses []clause, s span) (clause, span) {
	for _, cl := range clauses {
		if s.start >= cl.start && s.start < cl.end {
			for _, sc := range cl.scopes {
				if s.start >= sc.start && s.start < sc.end {
					return cl, sc
				}
			}
			return cl, cl.span
		}
	}
	return clause{span: s}, s
}

// facts turns judged mentions into facts and topics. A fact's value: a
// phrase's value, denied for a bool (不是脱贫户: false), the schema's if_not
// for an enum (不是农民工: no), 0 for people not hired (没有招残疾人); a
// denied enum value without if_not says nothing. Where mentions of one fact
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
	torn := map[string]bool{} // bools read both true and false: not known
	for _, j := range ms {
		f := j.frame.fact
		if !j.asserted {
			topics[f.Key] = true
			continue
		}
		v, ok := value(f, j)
		if !ok {
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
