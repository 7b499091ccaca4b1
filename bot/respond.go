package bot

import (
	"context"
	"slices"
	"strings"

	"policybot/answers"
	"policybot/reading"
)

// respond decides what the message asks for and answers it. The reading
// stage reads it; the dialogue acts on the reading.
func (e *Engine) respond(ctx context.Context, t *turn) (*Reply, error) {
	if t.msg.Option != "" {
		return e.option(ctx, t)
	}
	d := e.cfg.Dialogue
	t.reading = e.readMessage(ctx, t)
	t.intent = t.reading.Intent
	switch t.intent {
	case reading.IntentReset:
		t.st.reset()
		return e.say(t, StatusAnswered, "reset"), nil
	case reading.IntentHuman:
		return e.say(t, StatusAnswered, "human"), nil
	case reading.IntentResults:
		return e.finish(t)
	case reading.IntentAllResults:
		return e.all(t)
	case reading.IntentGreeting, reading.IntentHelp, reading.IntentThanks:
		if t.st.Pending == "" {
			return e.say(t, StatusAnswered, string(t.intent)), nil
		}
	}
	e.take(t)
	skipped := false
	if p := t.st.Pending; p != "" && (t.intent == reading.IntentDontKnow || e.hedgedPending(t)) {
		if _, ok := t.learnt[p]; !ok {
			t.st.decline(p)
			skipped = true
		}
	}
	// A check starts when the person asks for one or tells their own
	// situation; a plain question gets its answer and an offer to check.
	if t.intent == reading.IntentCheck || t.st.Checking || len(t.learnt) > 0 || skipped {
		t.st.Checking = true
		var lead []string
		if skipped {
			lead = append(lead, d.say(t.lang, "skipped", nil))
		}
		return e.check(ctx, t, lead, t.intent == reading.IntentCheck)
	}
	return e.answer(ctx, t)
}

// answer treats the message as a question about the notices.
func (e *Engine) answer(ctx context.Context, t *turn) (*Reply, error) {
	ans, err := e.cfg.Answerer.Ask(ctx, t.msg.Text)
	if err != nil {
		return nil, err
	}
	r := e.fromAnswer(ctx, t, ans)
	if ans.Status == answers.Answered {
		t.st.cited(ans)
	}
	if ans.Status == answers.Answered && e.namesBenefit(ans) {
		r.Reply += "\n" + e.cfg.Dialogue.say(t.lang, "offer_check", nil)
		r.Suggestions = []Option{{Value: OptionCheck, Label: e.cfg.Dialogue.say(t.lang, "check_option", nil)}}
	}
	return r, nil
}

// fromAnswer is the reply to a question: the quote, or the model's phrasing
// of it when one is configured and the phrasing passes verification.
func (e *Engine) fromAnswer(ctx context.Context, t *turn, ans *answers.Answer) *Reply {
	status := StatusAnswered
	if ans.Status != answers.Answered {
		status = StatusNoAnswer
	}
	text := e.cfg.Answerer.Replies().Text(ans)
	if p := e.cfg.Phrasing; p != nil && p.Phraser != nil && ans.Status == answers.Answered {
		var pr answers.Reply
		if t.msg.Stream != nil {
			pr = p.Stream(ctx, ans, t.st.History, t.msg.Stream)
		} else {
			pr = p.Reply(ctx, ans, t.st.History)
		}
		text = pr.Text
		if pr.Outcome != answers.PhraseUsed {
			e.cfg.Log.Warn("answer not phrased", "outcome", pr.Outcome, "reason", pr.Reason)
		}
	}
	if e.cfg.Phrasing != nil && e.cfg.Phrasing.Phraser != nil {
		t.st.remember("user", t.msg.Text)
		t.st.remember("assistant", text)
	}
	return &Reply{Status: status, Reply: text, Citations: ans.Citations(), answer: ans}
}

// namesBenefit reports whether an answer cites a clause that grants something.
func (e *Engine) namesBenefit(ans *answers.Answer) bool {
	refs := ans.Refs()
	for _, r := range e.cfg.Evaluator.Rules() {
		if slices.Contains(refs, r.Ref()) {
			return true
		}
	}
	return false
}

// option handles a pressed button.
func (e *Engine) option(ctx context.Context, t *turn) (*Reply, error) {
	st, val := t.st, t.msg.Option
	switch {
	case val == OptionCheck:
		st.Checking = true
		return e.check(ctx, t, nil, true)
	case val == OptionResults:
		return e.finish(t)
	case val == OptionAll:
		return e.all(t)
	case val == OptionSkip && st.Pending != "":
		st.decline(st.Pending)
		return e.check(ctx, t, []string{e.cfg.Dialogue.say(t.lang, "skipped", nil)}, false)
	case st.Pending == "":
		// A button of a question already answered, pressed again: nothing to
		// change, so show where things stand.
		st.Checking = true
		return e.check(ctx, t, nil, false)
	}
	f := e.schema.Fact(st.Pending)
	for _, c := range f.Options {
		if c.Value != val {
			continue
		}
		if _, atLeast := c.AtLeast(); atLeast {
			return e.askNumber(t, f), nil
		}
		v, err := f.Normalize(val)
		if err != nil {
			break
		}
		e.keep(t, f.Key, v, sourceButton)
		return e.check(ctx, t, nil, false)
	}
	return e.check(ctx, t, nil, false) // an unknown button: the question is asked again
}

// say is a reply from the dialogue's templates alone.
func (e *Engine) say(t *turn, status Status, name string) *Reply {
	return &Reply{Status: status, Reply: e.cfg.Dialogue.say(t.lang, name, map[string]string{"Doc": e.doc.Short}), Citations: []answers.Citation{}}
}

func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "\n")
}
