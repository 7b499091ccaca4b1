package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"policybot/answers"
	"policybot/kb"
	"policybot/reading"
)

// check moves an eligibility check on: judge every benefit on the facts
// known, then ask the question that settles the most open benefits, or,
// when no question is left worth asking, give the verdicts. lead is said
// first; started says the person just asked for a check.
//
// A check always ends: a question is asked twice at most (the second time
// in other words), then left unknown; and at the person's sixth reply the
// verdicts come, whatever is still open.
func (e *Engine) check(ctx context.Context, t *turn, lead []string, started bool) (*Reply, error) {
	st := t.st
	verdicts, err := e.cfg.Evaluator.Evaluate(st.Facts)
	if err != nil {
		return nil, fmt.Errorf("check eligibility: %w", err)
	}
	d := e.cfg.Dialogue
	if started && len(st.Asked) == 0 {
		lead = append(lead, d.say(t.lang, "check_start", nil))
	}
	if noted := e.noted(t); noted != "" {
		lead = append(lead, noted)
	}
	// A message that asks about the notice as well as giving facts gets its
	// answer too: "我们公司招了3个应届生，有什么补贴？"
	var prefix *Reply
	if t.reading != nil && t.reading.Question && !e.onlyAnswers(t) {
		if ans, err := e.cfg.Answerer.Ask(ctx, t.msg.Text); err == nil && ans.Status == answers.Answered {
			prefix = e.fromAnswer(ctx, t, ans)
			st.cited(ans)
		}
	}
	if st.Pending != "" {
		st.Replies++
	}
	again := "" // the template that asks the pending question again
	if p := st.Pending; p != "" && !st.settled(p) && e.stillOpen(p, verdicts) && st.Replies < e.cfg.MaxReplies {
		switch {
		case st.Tries[p] >= 2:
			// Asked twice and not answered: let it go rather than loop.
			st.decline(p)
			lead = append(lead, d.say(t.lang, "skipped", nil))
		case prefix != nil || len(t.learnt) > 0 || t.intent != reading.IntentNone:
			// A question of their own, other facts, thanks: back to ours.
			again = "back_to_question"
			if t.intent == reading.IntentGreeting || t.intent == reading.IntentHelp || t.intent == reading.IntentThanks {
				lead = append(lead, d.say(t.lang, string(t.intent), map[string]string{"Doc": e.doc.Short}))
			}
		default:
			again = "not_understood"
		}
	}
	var r *Reply
	switch {
	case again != "":
		r = e.askAgain(t, e.schema.Fact(st.Pending), lead, again)
	case st.Replies < e.cfg.MaxReplies:
		if f := e.nextQuestion(st, verdicts); f != nil {
			st.Pending = f.Key
			st.Asked = append(st.Asked, f.Key)
			st.tried(f.Key)
			r = e.ask(t, f, f.QuestionIn(t.lang), lead)
			break
		}
		fallthrough
	default:
		st.Pending, st.Checking, st.Replies = "", false, 0
		if r, err = e.results(t, verdicts, lead, false); err != nil {
			return nil, err
		}
	}
	if prefix != nil {
		r.Reply = join(prefix.Reply, r.Reply)
		r.Citations, r.answer = prefix.Citations, prefix.answer
	}
	return r, nil
}

// stillOpen reports whether fact key would still settle a benefit that
// may apply, or its amount: a question left unanswered is asked again only
// then (a correction may have made it moot).
func (e *Engine) stillOpen(key string, verdicts []answers.Verdict) bool {
	for _, v := range verdicts {
		if slices.Contains(wanted(v), key) {
			return true
		}
	}
	return false
}

// wanted lists the facts a verdict waits on: what would settle a benefit
// that may apply, or the amount of one that does.
func wanted(v answers.Verdict) []string {
	switch v.Status {
	case answers.Possible:
		return v.Unknown
	case answers.Eligible:
		return v.Amount.Needs // what its amount is computed from: 2/3 of what you pay
	}
	return nil
}

// onlyAnswers reports whether the message did nothing but answer the
// question pending (or is too short to be a question of its own).
func (e *Engine) onlyAnswers(t *turn) bool {
	if _, ok := t.learnt[t.st.Pending]; ok && len(t.learnt) == 1 {
		return true
	}
	return len([]rune(strings.TrimSpace(t.msg.Text))) <= 8
}

// candidate is a fact that may be asked next, and what its answer would
// settle.
type candidate struct {
	key      string
	score    float64 // the benefits it settles, weighted (see nextQuestion)
	own      bool    // it bears on a benefit of the role the person asks in
	real     bool    // it bears on a benefit whose details the notice states
	deferred int     // the benefits it bears on that leave details to another document
	cited    bool    // it bears on a benefit of a clause an answer to the person cited
	decisive bool    // it bears on whether a benefit applies, not only on how much it is
	named    bool    // the person named it, asking about it (退捕渔民有帮扶吗): ask whether it is theirs
}

// worth reports whether a question can still change something that
// matters: whether a benefit the notice spells out applies or how much it
// is, two or more of those it leaves to other documents, or one the person
// asked about (稳岗返还 for the HR manager whose question cited it). A
// benefit left to 实施细则 stays "possible" whatever the answer, so one of
// them alone is not worth one of a few questions.
func (c *candidate) worth() bool { return c.real || c.deferred >= 2 || c.cited }

// decides reports whether a question decides a benefit the notice spells
// out, or one the person asked about.
func (c *candidate) decides() bool { return c.real || c.cited }

// candidates lists the facts open benefits wait on that were neither
// given, declined nor asked already, in the order the notice's benefits
// name them.
func (e *Engine) candidates(st *state, verdicts []answers.Verdict) []*candidate {
	byKey := map[string]*candidate{}
	var out []*candidate
	role, roleKnown := st.Facts[kb.RoleFact].(string)
	for _, v := range verdicts {
		weight := float64(1 + e.onTopic(v, st))
		own := !roleKnown || v.Rule == nil || v.Rule.Claims(role)
		if !own {
			// A benefit of another kind of claimant (an employer's subsidy
			// an HR agency's conditions also let in) is not worth one of a
			// few questions; it shows as possible.
			continue
		}
		cited := v.Rule != nil && slices.Contains(st.Topics, ClauseRef{Doc: v.Rule.Doc, Clause: v.Rule.Clause})
		var open []string
		for _, k := range wanted(v) {
			if !st.settled(k) && !slices.Contains(st.Asked, k) && e.schema.Fact(k) != nil {
				open = append(open, k)
			}
		}
		for _, k := range open {
			c := byKey[k]
			if c == nil {
				c = &candidate{key: k, named: slices.Contains(st.Named, k)}
				byKey[k] = c
				out = append(out, c)
			}
			c.score += weight / float64(len(open))
			c.own = c.own || own
			c.cited = c.cited || cited
			c.decisive = c.decisive || v.Status == answers.Possible
			if v.Deferred {
				c.deferred++
			} else {
				c.real = true
			}
		}
	}
	return out
}

// nextQuestion is the fact whose answer settles the most open benefits,
// and was neither given, declined nor asked already; nil when none is, or
// when enough has been asked. A benefit waiting on one fact counts fully
// for it, one waiting on three counts a third for each: questions that
// finish verdicts come before questions that only start them. A benefit
// counts once more for each thing the person told unasked that it rests
// on: what they came about is settled first. A benefit that applies asks
// for what its amount is computed from.
//
// The benefits of the role a person asks in come first: an HR agency's or
// a training base's conditions let in an employer's subsidies too (they
// employ staff), but it is asked about the people it placed or its
// platform before its size. Then questions worth asking (see worth) come
// before those that are not, and the check ends when none is worth asking:
// what is left open is shown as possible.
func (e *Engine) nextQuestion(st *state, verdicts []answers.Verdict) *kb.Fact {
	if len(st.Asked) >= e.cfg.MaxQuestions {
		return nil
	}
	cands := e.candidates(st, verdicts)
	if !slices.ContainsFunc(cands, (*candidate).worth) {
		return nil
	}
	var best *candidate
	for _, c := range cands { // ties go to the fact the notice's order names first
		if best == nil || better(c, best) {
			best = c
		}
	}
	return e.schema.Fact(best.key)
}

// better reports whether candidate c should be asked before b: the
// person's own benefits first, then what is worth asking, then what
// decides a benefit the notice spells out or one they asked about (with
// five questions at most, a question that only rules out benefits left to
// other documents must not crowd those out), then what settles most.
func better(c, b *candidate) bool {
	switch {
	case c.own != b.own:
		return c.own
	case c.worth() != b.worth():
		return c.worth()
	case c.named != b.named:
		return c.named // what they asked about is asked first: 您是退捕渔民吗？
	case c.decides() != b.decides():
		return c.decides()
	case c.decisive != b.decisive:
		return c.decisive // whether a benefit applies before how much it is
	}
	return c.score > b.score
}

// onTopic counts the facts a benefit reads that the person told unasked
// and that say what they came about: 一次性吸纳就业补贴 for an employer who
// wrote 小公司，招了3个应届生 rests on two, every enterprise benefit on none
// for the word 公司. A benefit of a clause an answer to them cited counts
// one more: 失业补助金 for 被裁了，交了两年失业保险.
func (e *Engine) onTopic(v answers.Verdict, st *state) int {
	n := 0
	if v.Rule == nil {
		return n
	}
	if slices.Contains(st.Topics, ClauseRef{Doc: v.Rule.Doc, Clause: v.Rule.Clause}) {
		n++
	}
	read := map[string]bool{}
	for _, c := range v.Rule.Conditions {
		for _, k := range c.Facts {
			if !read[k] && k != kb.RoleFact && slices.Contains(st.Told, k) && e.telling(k, st.Facts[kb.RoleFact]) {
				n++
			}
			read[k] = true
		}
	}
	return n
}

// ask is the reply that asks for fact f in the words text, with its buttons
// and a way to skip.
func (e *Engine) ask(t *turn, f *kb.Fact, text string, lead []string) *Reply {
	d := e.cfg.Dialogue
	q := &Question{Fact: f.Key, Text: text}
	for _, c := range f.Options {
		q.Options = append(q.Options, Option{Value: c.Value, Label: c.LabelIn(t.lang)})
	}
	if len(q.Options) == 0 && f.Type == kb.FactBool {
		q.Options = []Option{{Value: "true", Label: d.say(t.lang, "option_yes", nil)}, {Value: "false", Label: d.say(t.lang, "option_no", nil)}}
	}
	if len(t.st.Asked) > 1 { // from the second question on, a way out of the rest
		q.Options = append(q.Options, Option{Value: OptionResults, Label: d.say(t.lang, "option_results", nil)})
	}
	q.Options = append(q.Options, Option{Value: OptionSkip, Label: d.say(t.lang, "option_skip", nil)})
	return &Reply{Status: StatusAsking, Reply: join(append(lead, q.Text)...), Question: q, Citations: []answers.Citation{}}
}

// finish ends a check at the person's word: the verdicts on what is known
// now, with no more questions.
func (e *Engine) finish(t *turn) (*Reply, error) {
	verdicts, err := e.cfg.Evaluator.Evaluate(t.st.Facts)
	if err != nil {
		return nil, fmt.Errorf("check eligibility: %w", err)
	}
	t.st.Pending, t.st.Checking, t.st.Replies = "", false, 0
	return e.results(t, verdicts, nil, false)
}

// all gives every verdict on what is known, not only what applies first;
// knowing nothing yet, it says what the engine can do.
func (e *Engine) all(t *turn) (*Reply, error) {
	if len(t.st.Facts) == 0 {
		return e.say(t, StatusAnswered, "help"), nil
	}
	verdicts, err := e.cfg.Evaluator.Evaluate(t.st.Facts)
	if err != nil {
		return nil, fmt.Errorf("check eligibility: %w", err)
	}
	t.st.Pending, t.st.Checking, t.st.Replies = "", false, 0
	return e.results(t, verdicts, nil, true)
}

// askAgain asks the pending question f a second time, in other words, the
// template (not_understood or back_to_question) leading into it.
func (e *Engine) askAgain(t *turn, f *kb.Fact, lead []string, template string) *Reply {
	t.st.tried(f.Key)
	r := e.ask(t, f, f.AgainIn(t.lang), nil)
	r.Reply = join(append(lead, e.cfg.Dialogue.say(t.lang, template, map[string]string{"Question": r.Question.Text}))...)
	return r
}

// askNumber asks again for fact f, wanting the exact number a "N or
// more" button stood for.
func (e *Engine) askNumber(t *turn, f *kb.Fact) *Reply {
	q := &Question{Fact: f.Key, Text: e.cfg.Dialogue.say(t.lang, "ask_number", map[string]string{"Question": f.QuestionIn(t.lang)})}
	q.Options = []Option{{Value: OptionSkip, Label: e.cfg.Dialogue.say(t.lang, "option_skip", nil)}}
	return &Reply{Status: StatusAsking, Reply: q.Text, Question: q, Citations: []answers.Citation{}}
}

// noted says back the facts this message taught, so a misreading shows at once.
func (e *Engine) noted(t *turn) string {
	_, answered := t.learnt[t.st.Pending]
	if len(t.learnt) == 0 || (answered && len(t.learnt) == 1 && e.onlyAnswers(t)) {
		return "" // a plain answer to the question needs no echo
	}
	var parts []string
	for _, f := range e.schema.Facts {
		v, ok := t.learnt[f.Key]
		if !ok || t.sources[f.Key] == "button" {
			continue
		}
		parts = append(parts, e.describe(t.lang, f, v))
	}
	if len(parts) == 0 {
		return ""
	}
	return e.cfg.Dialogue.say(t.lang, "noted", map[string]any{"Facts": parts})
}

// describe says a fact in words, in lang: 身份：用人单位,
// 今年招用应届毕业生人数：3人; enterprise size: small enterprise.
func (e *Engine) describe(lang string, f *kb.Fact, v any) string {
	d := e.cfg.Dialogue
	name := f.NameIn(lang)
	if name == "" { // a schema without names: the question will do
		name = strings.TrimRight(f.QuestionIn(lang), "？?")
	}
	var value string
	switch x := v.(type) {
	case bool:
		value = d.say(lang, "fact_no", nil)
		if x {
			value = d.say(lang, "fact_yes", nil)
		}
	case string:
		value = x
		for _, c := range f.Values {
			if c.Value == x {
				value = c.LabelIn(lang)
			}
		}
	default:
		value = strings.TrimSpace(d.say(lang, "quantity", map[string]string{"N": fmt.Sprint(v), "Unit": f.UnitIn(lang)}))
	}
	return d.say(lang, "fact", map[string]string{"Name": name, "Value": value})
}
