package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/answers"
	"policybot/kb"
	"policybot/reading"
	"policybot/retrieval"
	"policybot/zh"
)

// Defaults of the engine's settings.
const (
	DefaultSessionIdle  = 30 * time.Minute
	DefaultMaxQuestions = 3
	// DefaultMaxReplies is how many replies of the person a check takes at
	// most: at the last, whatever is still open, the verdicts come.
	DefaultMaxReplies = 5
)

// ErrBadMessage wraps every reason a message cannot be handled: empty,
// too long, not UTF-8, an unknown button, a malformed session id.
var ErrBadMessage = errors.New("bad message")

// Config is what the engine is built from.
type Config struct {
	Answerer     *answers.Answerer
	Evaluator    *answers.Evaluator
	Reader       *reading.Reader // reads every message; the engine never reads text itself
	Dialogue     *Dialogue
	Store        Store
	Now          func() time.Time // the clock, for sessions and the log (answers and rules have their own "today")
	SessionIdle  time.Duration    // a session idle longer than this starts afresh
	MaxQuestions int              // follow-up questions at most in one check
	MaxReplies   int              // replies of the person at most in one check
	Log          *slog.Logger
	// Phrasing, when its Phraser is set, lets a model phrase answers; a
	// phrased answer that fails verification is replaced by the quote.
	Phrasing *answers.Phrasing
	// Filler, when set, proposes facts from replies the schema's phrases and
	// patterns cannot read; only values the schema allows are kept.
	Filler   answers.FactFiller
	Verifier *answers.Verifier
}

// Engine is the dialogue engine. It is safe for concurrent use; the state
// of each conversation lives in the Store.
type Engine struct {
	cfg    Config
	schema *kb.FactSchema
	doc    *kb.Document
	// readers counts, per role ("" for any) and fact, the rules for that
	// role that read the fact; rules counts the role's rules. A fact few of
	// a role's rules read says what the person came about (招了3个应届生,
	// 脱贫户, 跑外卖), one most read says little (公司, 个人).
	readers map[string]map[string]int
	rules   map[string]int
	turns   sessionLocks // one turn of a session at a time
}

// New returns an engine.
func New(cfg Config) (*Engine, error) {
	if cfg.Answerer == nil || cfg.Evaluator == nil || cfg.Reader == nil || cfg.Dialogue == nil || cfg.Store == nil {
		return nil, errors.New("new engine: answerer, evaluator, reader, dialogue and store are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = DefaultSessionIdle
	}
	if cfg.MaxQuestions <= 0 {
		cfg.MaxQuestions = DefaultMaxQuestions
	}
	if cfg.MaxReplies <= 0 {
		cfg.MaxReplies = DefaultMaxReplies
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	c := cfg.Answerer.Retriever().Corpus()
	e := &Engine{
		cfg: cfg, schema: cfg.Evaluator.Schema(), doc: c.Docs[0],
		readers: map[string]map[string]int{}, rules: map[string]int{},
	}
	if err := e.learnRoles(); err != nil {
		return nil, fmt.Errorf("new engine: %w", err)
	}
	return e, nil
}

// learnRoles fills readers and rules: which rules each role's conditions
// let in (an expired rule counts by its conditions too), and the facts
// those rules then still wait on.
func (e *Engine) learnRoles() error {
	e.readers[""] = map[string]int{}
	for _, r := range e.cfg.Evaluator.Rules() {
		e.rules[""]++
		for _, k := range factsRead(r) {
			e.readers[""][k]++
		}
	}
	role := e.schema.Fact(kb.RoleFact)
	if role == nil {
		return nil
	}
	for _, c := range role.Values {
		verdicts, err := e.cfg.Evaluator.Evaluate(map[string]any{kb.RoleFact: c.Value})
		if err != nil {
			return err
		}
		e.readers[c.Value] = map[string]int{}
		for _, v := range verdicts {
			if len(v.Failed) > 0 {
				continue
			}
			e.rules[c.Value]++
			for _, k := range factsOpen(v) {
				e.readers[c.Value][k]++
			}
		}
	}
	return nil
}

// factsOpen lists the facts a verdict's open conditions read, each once:
// for an employer, 缴纳失业保险费的用人单位或在职职工 holds without asking
// whether they are employed.
func factsOpen(v answers.Verdict) []string {
	var out []string
	for _, cond := range v.Rule.Conditions {
		if !slices.Contains(v.Open, cond.Text) {
			continue
		}
		for _, k := range cond.Facts {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// factsRead lists the facts a rule's conditions read, each once.
func factsRead(r *kb.Rule) []string {
	var out []string
	for _, cond := range r.Conditions {
		for _, k := range cond.Facts {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// telling reports whether fact key says what someone in role came about:
// fewer than half the rules for that role read it.
func (e *Engine) telling(key string, role any) bool {
	r, _ := role.(string)
	if e.rules[r] == 0 {
		r = ""
	}
	return 2*e.readers[r][key] < e.rules[r]
}

// Schema is the fact schema: what the engine may ask, for GET /api/facts.
func (e *Engine) Schema() *kb.FactSchema { return e.schema }

// turn is one message being handled: the conversation's state and what
// this message taught.
type turn struct {
	msg     Message
	st      *state
	lang    string
	reading *reading.Reading // nil for a button
	intent  reading.Intent
	learnt  map[string]any
	sources map[string]string
}

// Handle answers one message and commits the turn (session state and log)
// before returning, so a reply is never sent for a turn that was not kept.
func (e *Engine) Handle(ctx context.Context, m Message) (*Reply, error) {
	start := time.Now()
	if err := validate(m); err != nil {
		return nil, err
	}
	unlock, err := e.turns.lock(ctx, m.Session)
	if err != nil {
		return nil, err
	}
	defer unlock()
	for try := 1; ; try++ {
		reply, err := e.attempt(ctx, m, start)
		// Another instance committed a turn of this session meanwhile: the
		// message is taken again from the state that turn left.
		if errors.Is(err, ErrSessionChanged) && try < maxAttempts {
			continue
		}
		return reply, err
	}
}

// maxAttempts bounds how often a turn is taken again because another instance
// committed to its session first; each loss means that instance's turn
// went through, so only a burst of messages to one session loses thrice.
const maxAttempts = 5

// attempt answers m from the session as stored now and commits the turn.
func (e *Engine) attempt(ctx context.Context, m Message, start time.Time) (*Reply, error) {
	rec, st, err := e.session(ctx, m)
	if err != nil {
		return nil, err
	}
	t := &turn{msg: m, st: st, learnt: map[string]any{}, sources: map[string]string{}}
	t.lang = zh.Language(m.Text, st.Lang)
	reply, err := e.respond(ctx, t)
	if err != nil {
		return nil, err
	}
	reply.Lang = t.lang
	st.Lang = t.lang
	reply.Facts = st.known()
	rec.State, rec.Updated = st.encode(), e.cfg.Now()
	id, err := e.cfg.Store.CommitTurn(ctx, rec, e.logTurn(rec, t, reply, time.Since(start)))
	if err != nil {
		return nil, fmt.Errorf("commit turn: %w", err)
	}
	reply.Session, reply.Turn = rec.ID, id
	return reply, nil
}

// session loads the conversation m belongs to, or starts one: a missing,
// unknown or expired id starts afresh rather than failing the person.
func (e *Engine) session(ctx context.Context, m Message) (SessionRecord, *state, error) {
	if m.Session != "" {
		rec, err := e.cfg.Store.LoadSession(ctx, m.Session, e.cfg.SessionIdle)
		switch {
		case err == nil:
			st, err := decodeState(rec.State)
			if err != nil {
				e.cfg.Log.Warn("session state unreadable; starting afresh", "session", m.Session, "err", err)
				st, _ = decodeState(nil)
			}
			rec.UserID, rec.Channel = m.UserID, m.Channel
			return rec, st, nil
		case !errors.Is(err, ErrSessionNotFound):
			return SessionRecord{}, nil, fmt.Errorf("load session: %w", err)
		}
	}
	now := e.cfg.Now()
	st, _ := decodeState(nil)
	return SessionRecord{ID: sessionID(), Channel: m.Channel, UserID: m.UserID, Started: now, Updated: now}, st, nil
}

// validate refuses what no channel should pass on.
func validate(m Message) error {
	switch {
	case m.Session != "" && !ValidSessionID(m.Session):
		return fmt.Errorf("%w: malformed session id", ErrBadMessage)
	case m.Option != "" && m.Text != "":
		return fmt.Errorf("%w: send text or an option, not both", ErrBadMessage)
	case m.Option != "":
		if len(m.Option) > 64 || !utf8.ValidString(m.Option) {
			return fmt.Errorf("%w: malformed option", ErrBadMessage)
		}
		return nil
	}
	if err := retrieval.Validate(m.Text); err != nil {
		return fmt.Errorf("%w: %w", ErrBadMessage, err)
	}
	return nil
}

// logTurn is the turn as the log keeps it.
func (e *Engine) logTurn(rec SessionRecord, t *turn, r *Reply, latency time.Duration) Turn {
	in := t.msg.Text
	if t.msg.Option != "" {
		in = "[option] " + t.msg.Option
	}
	out := Turn{
		Session: rec.ID, Channel: rec.Channel, UserID: rec.UserID, At: e.cfg.Now(),
		In: in, Out: r.Reply, Status: string(r.Status), Latency: latency,
		Facts: t.learnt, FactSources: t.sources,
	}
	for _, c := range r.Citations {
		out.Clauses = append(out.Clauses, ClauseRef{Doc: c.Doc, Clause: c.Clause})
	}
	for _, v := range r.Results {
		out.Results = append(out.Results, Verdict{Benefit: v.ID, Doc: v.Doc, Clause: v.Clause, Status: string(v.Status), Amount: v.Amount})
	}
	return out
}

// Feedback records whether a reply helped: turn turnID of session.
func (e *Engine) Feedback(ctx context.Context, session string, turnID int64, helpful bool) error {
	if err := e.cfg.Store.RecordFeedback(ctx, session, turnID, helpful); err != nil {
		return fmt.Errorf("record feedback: %w", err)
	}
	return nil
}

// Ping reports whether the engine can serve: its store answers.
func (e *Engine) Ping(ctx context.Context) error {
	_, err := e.cfg.Store.LoadSession(ctx, strings.Repeat("0", 32), time.Second)
	if err != nil && !errors.Is(err, ErrSessionNotFound) {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
