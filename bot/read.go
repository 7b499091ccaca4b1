package bot

import (
	"context"
	"slices"

	"policybot/answers"
	"policybot/kb"
	"policybot/reading"
)

// Where a fact came from, as the log records it.
const (
	sourceText   = "text"   // read from the message by the reading stage's rules
	sourceButton = "button" // a button pressed
	sourceAPI    = "api"    // a profile a client sent
)

// readMessage reads the message of a turn in the light of the conversation:
// the question pending, the facts known, the day, and, when one is
// configured, a model for replies the rules cannot read.
func (e *Engine) readMessage(ctx context.Context, t *turn) *reading.Reading {
	c := reading.Context{Pending: t.st.Pending, Known: t.st.Facts, Lang: t.st.Lang, Today: e.cfg.Evaluator.Now()}
	if e.cfg.Filler != nil && e.cfg.Verifier != nil {
		c.Model = &modelReader{e: e, history: t.st.History}
	}
	return e.cfg.Reader.Read(ctx, t.msg.Text, c)
}

// take keeps what a reading says about the person: the facts they assert,
// the answer to the question pending. A known fact changes only in a
// correction (不对，我们是大型企业) or in reply to its own question, so
// words in passing do not overturn it.
func (e *Engine) take(t *turn) {
	for _, k := range t.reading.Topics {
		if !slices.Contains(t.st.Named, k) {
			t.st.Named = append(t.st.Named, k)
		}
	}
	for _, f := range t.reading.Facts {
		if f.Certainty != reading.Sure {
			continue
		}
		if _, known := t.st.Facts[f.Key]; known && t.intent != reading.IntentCorrection && f.Key != t.st.Pending {
			continue
		}
		source := sourceText
		if f.By == reading.ByModel {
			source = answers.FactSourceLLM
		}
		e.keep(t, f.Key, f.Value, source)
		if _, ok := t.learnt[f.Key]; ok && f.Key != t.st.Pending && f.Key != kb.RoleFact && !slices.Contains(t.st.Told, f.Key) {
			t.st.Told = append(t.st.Told, f.Key)
		}
	}
	// Asked whether they are a fisher, a person answers: the answer to what
	// only one kind of claimant is asked says who they are.
	if _, known := t.st.Facts[kb.RoleFact]; !known && t.reading.Answer != nil {
		if role, ok := e.cfg.Reader.Claimant(t.reading.Answer.Key); ok {
			e.keep(t, kb.RoleFact, role, sourceText)
		}
	}
}

// hedgedPending reports whether the person answered the question pending
// only with a hedge (好像是吧, 应该不是): left unknown, not asked again.
func (e *Engine) hedgedPending(t *turn) bool {
	p := t.st.Pending
	if p == "" {
		return false
	}
	if _, ok := t.learnt[p]; ok {
		return false
	}
	return slices.ContainsFunc(t.reading.Facts, func(f reading.Fact) bool { return f.Key == p && f.Certainty == reading.Hedged })
}

// keep validates a fact against the schema and stores it. Saying again
// what is known teaches nothing, so it is not noted as learnt.
func (e *Engine) keep(t *turn, key string, value any, source string) {
	v, err := e.schema.Normalize(key, value)
	if err != nil {
		return
	}
	if old, ok := t.st.Facts[key]; ok {
		if o, err := e.schema.Normalize(key, old); err == nil && o == v {
			return
		}
	}
	t.st.learn(key, v, source)
	t.learnt[key], t.sources[key] = v, source
}

// modelReader lets a model read, for the reading stage, a reply the rules
// could not: it proposes facts, and only values the schema allows are kept
// (answers.FillFacts checks them, and numbers the person did not write are
// dropped).
type modelReader struct {
	e       *Engine
	history []answers.Message
}

// ReadFacts asks the model.
func (m *modelReader) ReadFacts(ctx context.Context, text, lang string) ([]reading.Fact, error) {
	e := m.e
	got, err := answers.FillFacts(ctx, e.cfg.Filler, e.cfg.Verifier, answers.FactRequest{
		Message: text, Lang: lang, Schema: answers.FactSpecsOf(e.schema), History: m.history,
	})
	if err != nil {
		e.cfg.Log.Warn("fact filling failed", "err", err)
		return nil, err
	}
	for _, d := range got.Dropped {
		e.cfg.Log.Info("model proposed a fact the schema does not allow", "fact", d.Key, "reason", d.Reason)
	}
	out := make([]reading.Fact, 0, len(got.Facts))
	for _, f := range got.Facts {
		out = append(out, reading.Fact{Key: f.Key, Value: f.Value, Certainty: reading.Sure, By: reading.ByModel})
	}
	return out, nil
}
