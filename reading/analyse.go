package reading

import (
	"policybot/kb"
	"slices"
)

// message is a message taken apart: its normalized text, its clauses and
// scopes, the cues in it, and the facts and topics read from them.
type message struct {
	t        *text
	clauses  []clause
	question bool // some clause asks something
	echo     bool // only the first clause asks: a reply that echoes the question (当兵？没当过)
	hedged   bool // the message hedges (好像是吧)
	singular bool // the speaker speaks only as 我, never as 我们
	denies   bool // the message has a denial in it
	facts    []Fact
	topics   []string
	mentions []judged // every mention, judged
}

// cues found in a message, each a list of non-overlapping spans.
type found struct {
	negBefore, negAfter, hedges, self, plural, others, suppose, asking, realis, tells, past, intend []span
	workBefore, workAfter                                                                           []span
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
	m.echo = len(m.clauses) > 1 && m.clauses[0].question && !slices.ContainsFunc(m.clauses[1:], func(cl clause) bool { return cl.question })
	f := r.findCues(t)
	// A reply hedges when its first clause does (好像是吧); a hedge further on
	// (没办过，都不晓得在哪办) is about something else.
	if len(m.clauses) > 0 {
		m.hedged = hasIn(f.hedges, m.clauses[0].span)
	}
	m.singular = len(f.self) > 0 && len(f.plural) == 0
	m.denies = len(f.negBefore) > 0
	sc := &scan{
		t: t, verbs: t.findAll(r.cues.HireVerbs), ds: durations(t), dates: r.dates(t, c.Today),
		reach: r.cues.Scope.Reach, today: c.Today, breaks: r.breaks(t), measures: r.cues.Numbers.Measures,
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

// findCues finds the cues of reading.yaml in a message. Words with a cue in
// them that mean something else (不仅, 差不多, 有没有, 不清楚) are found
// first and hide the cues inside them.
func (r *Reader) findCues(t *text) found {
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
	f.intend = without(t.findAll(c.Subjects.Intend)) // not 没想到
	f.asking = t.findAll(c.Question.Asking)
	f.plural = slices.DeleteFunc(slices.Clone(f.self), func(s span) bool { return !slices.Contains(c.Subjects.Plural, t.slice(s)) })
	f.workBefore = t.findAll(c.Subjects.Workplace.Before)
	f.workAfter = t.findAll(c.Subjects.Workplace.After)
	f.realis = t.findAll(c.Question.Realis)
	f.tells = t.findAll(c.Subjects.Tells)
	return f
}

// dropInner drops a mention inside a longer one of the same fact (农民工 in
// 返乡农民工), and any other fact's mention over the people a hiring verb
// names (残疾人 in 招了残疾人 is not the speaker's disability, 毕业 in 招了3个
// 应届高校毕业生 not their graduation).
//
// A phrase inside a longer word of another fact's is that word's part, not a
// mention: 失业 in 失业保险 or 领取失业保险金 is no job lost, nor 失业保险
// in 失业保险金 a time insured. (The role's
// words do not count: 公司 in 我们公司 still says it is a company.)
func dropInner(all []mention, vocab []vocabWord) []mention {
	var out []mention
	for i, a := range all {
		inner := false
		if a.kind == byPhrase || a.lasting {
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
