package bot

import (
	"context"
	"fmt"
	"time"
)

// Eligibility judges a profile of facts a client already knows (the
// "政策找人" case): every benefit's verdict at once, no questions. Facts are
// validated against the schema; a bad one is an error wrapping
// ErrBadMessage that names it. The call is logged as a one-turn
// conversation of its channel.
func (e *Engine) Eligibility(ctx context.Context, channel string, facts map[string]any) (*Reply, error) {
	start := time.Now()
	r, t, err := e.judge(facts, channel)
	if err != nil {
		return nil, err
	}
	now := e.cfg.Now()
	rec := SessionRecord{ID: sessionID(), Channel: channel, Started: now, Updated: now, State: t.st.encode()}
	logged := e.logTurn(rec, t, r, time.Since(start))
	logged.In = "[profile]"
	id, err := e.cfg.Store.CommitTurn(ctx, rec, logged)
	if err != nil {
		return nil, fmt.Errorf("commit profile: %w", err)
	}
	r.Session, r.Turn = rec.ID, id
	return r, nil
}

// Judge is Eligibility without the log: for a form that judges again as an
// operator fills it in, where every keystroke is not a conversation.
func (e *Engine) Judge(ctx context.Context, facts map[string]any) (*Reply, error) {
	r, _, err := e.judge(facts, "staff")
	return r, err
}

func (e *Engine) judge(facts map[string]any, channel string) (*Reply, *turn, error) {
	known, err := e.schema.NormalizeAll(facts)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrBadMessage, err)
	}
	verdicts, err := e.cfg.Evaluator.Evaluate(known)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrBadMessage, err)
	}
	st, _ := decodeState(nil)
	st.Facts = known
	t := &turn{msg: Message{Channel: channel}, st: st, lang: "zh", learnt: known, sources: map[string]string{}}
	for k := range known {
		t.sources[k] = sourceAPI
	}
	r, err := e.results(t, verdicts, nil, true)
	if err != nil {
		return nil, nil, err
	}
	r.Lang = t.lang
	r.Facts = st.known()
	return r, t, nil
}
