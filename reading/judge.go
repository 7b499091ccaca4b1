package reading

import "slices"

// judged is a mention with what the cues around it say.
type judged struct {
	mention
	negated  bool
	hedged   bool
	asserted bool // the speaker says it of themselves, as a fact
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
	j.negated = r.denied(t, f, m, all, scope)
	// A hedge anywhere in the mention's scope leaves it unknown (好像是脱贫户,
	// 稳岗返还我们似乎没领过), unless the mention is a number someone wrote
	// (大概二十个人 is about twenty).
	if m.kind != byNumber || m.lasting || m.dated {
		for _, s := range f.hedges {
			if s.start >= scope.start && s.end <= scope.end && !slices.Contains(r.cues.Numbers.AboutWords, t.slice(s)) {
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
		if i == 3 && m.frame.fact.IsWanted(m.value) {
			continue // 想贷20万, 想创业: what is wanted is the fact
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
