package answers

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/interpreter"

	"policybot/kb"
)

// Eligibility is where a benefit stands for the facts known so far.
type Eligibility string

// Eligibility statuses, in the order verdicts are listed.
const (
	Eligible   Eligibility = "eligible"   // every condition is known to hold
	Possible   Eligibility = "possible"   // none is known to fail, but some are open or the details are deferred
	Ineligible Eligibility = "ineligible" // a condition is known to fail
	Expired    Eligibility = "expired"    // the measure ended before today (its own end, or the latest later document's)
	// Superseded: a later document changed or replaced the measure, so its
	// conditions and amount are no longer today's; Verdict.Current names it.
	Superseded Eligibility = "superseded"
)

// rank orders statuses for listing: what applies, what may, what a later
// document changed; ineligible and expired share the bottom.
func (e Eligibility) rank() int {
	switch e {
	case Eligible:
		return 0
	case Possible:
		return 1
	case Superseded:
		return 2
	}
	return 3
}

// Verdict is one benefit judged against what is known of a person or
// organisation.
type Verdict struct {
	Rule    *kb.Rule    `json:"-"`
	Benefit string      `json:"benefit"` // the rule id
	Name    string      `json:"name"`    // as the notice names it
	English string      `json:"english"` // a short English name
	Status  Eligibility `json:"status"`
	Met     []string    `json:"met,omitempty"`    // texts of the conditions known to hold
	Failed  []string    `json:"failed,omitempty"` // texts of the conditions known to fail
	Open    []string    `json:"open,omitempty"`   // texts of the conditions not yet known
	// Unknown lists the facts that would settle the open conditions, the
	// conditions' fact hints first: what the dialogue may ask next. Empty
	// unless the status is possible.
	Unknown  []string   `json:"unknown,omitempty"`
	Amount   Amount     `json:"amount"`
	Why      string     `json:"why"`
	Ended    *time.Time `json:"ended,omitempty"`    // when the measure ended, if expired
	Excludes []string   `json:"excludes,omitempty"` // ids of benefits it cannot be combined with
	Deferred bool       `json:"deferred,omitempty"`
	Citation Citation   `json:"citation"`
	// Current is the later document that decides the benefit today, from
	// the policy update registry: what superseded it, continued it or
	// last ran it. Nil when the registry knows none.
	Current *Later `json:"current,omitempty"`

	english whyData          // what the English reason is written from (see Evaluator.Reason)
	later   *kb.LaterMeasure // behind Current
	checked time.Time        // when the registry that names it was checked
	claims  bool             // no condition on who may claim it failed
}

// Amount is what a benefit is worth: computed from the facts where the
// rule says how and the facts are known, and always as the notice states it.
type Amount struct {
	Value    float64  `json:"value,omitempty"`
	Computed bool     `json:"computed"`
	Unit     string   `json:"unit,omitempty"`
	UnitEN   string   `json:"unit_en,omitempty"`
	Text     string   `json:"text,omitempty"`    // as the notice states it
	TextEN   string   `json:"text_en,omitempty"` // the same in English
	Needs    []string `json:"needs,omitempty"`   // facts that would let it be computed
}

// UnitIn is the unit of the computed amount in lang: 元, or yuan.
func (a Amount) UnitIn(lang string) string {
	if lang == kb.LangEnglish {
		return a.UnitEN
	}
	return a.Unit
}

// TextIn is the amount as the notice states it, in lang.
func (a Amount) TextIn(lang string) string {
	if lang == kb.LangEnglish {
		return a.TextEN
	}
	return a.Text
}

// Figure is the computed amount with its unit (6000元), or "" when it could
// not be computed.
func (a Amount) Figure() string {
	if !a.Computed {
		return ""
	}
	return strconv.FormatFloat(a.Value, 'f', -1, 64) + a.Unit
}

// Evaluator judges the benefit rules of a corpus against facts. Build it
// once; it is safe for concurrent use.
type Evaluator struct {
	schema *kb.FactSchema
	rules  []*kb.Rule
	// registries are the notices' policy update registries by notice id,
	// and wording what verdicts say of them.
	registries map[string]*kb.Registry
	wording    currencyWording
	// Now gives "today", which decides whether a measure has expired.
	Now  func() time.Time
	memo memo // outcomes and reasons worked out before
}

// NewEvaluator returns an evaluator of every rule of the corpus, in notice
// and file order. now gives "today"; nil means the clock.
func NewEvaluator(c *kb.Corpus, now func() time.Time) (*Evaluator, error) {
	if c.Facts == nil {
		return nil, errors.New("new evaluator: the corpus has no fact schema")
	}
	if now == nil {
		now = time.Now
	}
	e := &Evaluator{schema: c.Facts, Now: now}
	for _, d := range c.Docs {
		if rs := c.Rules[d.ID]; rs != nil {
			e.rules = append(e.rules, rs.Rules...)
		}
	}
	if len(e.rules) == 0 {
		return nil, errors.New("new evaluator: the corpus has no benefit rules")
	}
	if len(c.Currency) > 0 {
		w, err := loadCurrencyWording(c.FS)
		if err != nil {
			return nil, fmt.Errorf("new evaluator: %w", err)
		}
		if w == nil {
			return nil, fmt.Errorf("new evaluator: the corpus has registries of later documents but no %s", CurrencyFile)
		}
		e.registries, e.wording = c.Currency, w
	}
	return e, nil
}

// Schema is the fact schema the rules are written over: what to ask, and
// how to validate an answer (Schema().Validate) before it is kept.
func (e *Evaluator) Schema() *kb.FactSchema { return e.schema }

// Rules lists the rules the evaluator judges.
func (e *Evaluator) Rules() []*kb.Rule { return e.rules }

// Evaluate judges every benefit against the facts known (fact key → value;
// a fact not given is unknown). Facts are validated against the schema
// first: an unknown key, a wrong type or a value outside an enum is an
// error. Verdicts come eligible first, then possible, then ineligible and
// expired, each group in the notice's order.
func (e *Evaluator) Evaluate(facts map[string]any) ([]Verdict, error) {
	known, err := e.schema.NormalizeAll(facts)
	if err != nil {
		return nil, fmt.Errorf("evaluate eligibility: %w", err)
	}
	act, err := e.schema.Env().PartialVars(known)
	if err != nil {
		return nil, fmt.Errorf("evaluate eligibility: %w", err)
	}
	today := e.Now()
	out := make([]Verdict, 0, len(e.rules))
	for _, r := range e.rules {
		v, err := e.judge(r, known, act, today)
		if err != nil {
			return nil, fmt.Errorf("evaluate eligibility: %w", err)
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b Verdict) int { return cmp.Compare(a.Status.rank(), b.Status.rank()) })
	return out, nil
}

// judge evaluates one rule's conditions and amount.
func (e *Evaluator) judge(r *kb.Rule, known map[string]any, act interpreter.PartialActivation, today time.Time) (Verdict, error) {
	v := Verdict{
		Rule: r, Benefit: r.ID, Name: r.Name, English: r.English, Deferred: r.Deferred, Excludes: slices.Clone(r.Excludes),
		Citation: Citation{Doc: r.Doc, Clause: r.Clause, Title: r.Source.Title, Quote: r.Quote.Text},
	}
	var unknown, hints []string
	en := &v.english
	someoneElse := false // a condition on who may claim failed: the benefit is not theirs
	for _, c := range r.Conditions {
		holds, missing, err := e.condition(c, known, act)
		if err != nil {
			return v, fmt.Errorf("rule %s: condition %q: %w", r.ID, c.Expr, err)
		}
		switch {
		case missing != nil:
			v.Open = append(v.Open, c.Text)
			en.Open = append(en.Open, c.TextEN)
			unknown = append(unknown, missing...)
			if slices.Contains(missing, c.FactHint) {
				hints = append(hints, c.FactHint)
			}
		case holds:
			v.Met = append(v.Met, c.Text)
			en.Met = append(en.Met, c.TextEN)
		default:
			v.Failed = append(v.Failed, c.Text)
			en.Failed = append(en.Failed, c.TextEN)
			someoneElse = someoneElse || slices.Equal(c.Facts, []string{kb.RoleFact})
		}
	}
	amount, err := e.amount(r.Amount, known, act)
	if err != nil {
		return v, fmt.Errorf("rule %s: amount: %w", r.ID, err)
	}
	v.Amount = amount
	ended, end := e.current(&v, today)
	switch {
	case ended:
		v.Status, v.Ended = Expired, &end
	case v.later != nil && v.later.Effect.Stale() && len(v.Failed) == 0:
		// The notice's conditions and amount are no longer today's: the
		// later document says what is, whatever they would have said.
		v.Status, v.Amount = Superseded, Amount{}
	case len(v.Failed) > 0:
		v.Status = Ineligible
	case len(v.Open) > 0 || r.Deferred:
		v.Status = Possible
		v.Unknown = e.orderFacts(hints, unknown)
	default:
		v.Status = Eligible
	}
	en.References = r.ReferencesEN
	v.claims = !someoneElse
	v.Why, err = e.why(v, "zh", whyData{Met: v.Met, Failed: v.Failed, Open: v.Open, References: r.References})
	if err != nil {
		return v, fmt.Errorf("rule %s: %w", r.ID, err)
	}
	return v, nil
}

// current looks the benefit up in its notice's registry and says whether
// it has ended on today, and when: by the newest later document users may
// be told of, whose period takes the place of the notice's own, or else by
// the rule's own period.
func (e *Evaluator) current(v *Verdict, today time.Time) (ended bool, end time.Time) {
	r := v.Rule
	ended, end = r.Period.Ended(today), r.Period.End.Time
	reg := e.registries[r.Doc]
	if reg == nil {
		return ended, end
	}
	m := reg.Latest(r.ID, today)
	if m == nil {
		return ended, end
	}
	v.later, v.checked = m, reg.Checked.Time
	cur := laterJSON(m, v.checked, today)
	v.Current = &cur
	if until, ok := m.Until(); ok {
		return m.Ended(today), until
	}
	return false, time.Time{}
}

// orderFacts returns the facts without repeats: hints first, then the rest
// in schema order, so the question a rule's author chose comes first.
func (e *Evaluator) orderFacts(hints, facts []string) []string {
	out := make([]string, 0, len(facts))
	for _, h := range hints {
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	for _, f := range e.schema.Facts {
		if slices.Contains(facts, f.Key) && !slices.Contains(out, f.Key) {
			out = append(out, f.Key)
		}
	}
	return out
}

// evalCondition evaluates a condition with unknown facts: it holds or not,
// or it waits on the facts listed in missing.
func evalCondition(c *kb.Condition, act interpreter.PartialActivation) (holds bool, missing []string, err error) {
	out, _, err := c.Program.Eval(act)
	if err != nil {
		return false, nil, err
	}
	if vars, ok := unknownFacts(out); ok {
		return false, vars, nil
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, nil, fmt.Errorf("is %s, want bool", out.Type().TypeName())
	}
	return bool(b), nil, nil
}

// evalAmount computes a rule's amount where the facts allow.
func evalAmount(a *kb.RuleAmount, act interpreter.PartialActivation) (Amount, error) {
	if a == nil {
		return Amount{}, nil
	}
	out := Amount{Unit: a.Unit, UnitEN: a.UnitEN, Text: a.Text, TextEN: a.TextEN}
	if a.Program == nil {
		return out, nil
	}
	val, _, err := a.Program.Eval(act)
	if err != nil {
		return out, err
	}
	if vars, ok := unknownFacts(val); ok {
		out.Needs = vars
		return out, nil
	}
	switch n := val.(type) {
	case types.Int:
		out.Value = float64(n)
	case types.Double:
		out.Value = float64(n)
	default:
		return out, fmt.Errorf("is %s, want a number", val.Type().TypeName())
	}
	out.Computed = true
	return out, nil
}

// unknownFacts reports whether a partial evaluation came out unknown, and
// the facts it waits on, without repeats.
func unknownFacts(v ref.Val) ([]string, bool) {
	u, ok := v.(*types.Unknown)
	if !ok {
		return nil, false
	}
	vars := []string{}
	for _, id := range u.IDs() {
		trails, _ := u.GetAttributeTrails(id)
		for _, t := range trails {
			if !slices.Contains(vars, t.Variable()) {
				vars = append(vars, t.Variable())
			}
		}
	}
	slices.Sort(vars)
	return vars, true
}

// whyData is what the verdict templates of facts.yaml see.
type whyData struct {
	Met, Failed, Open, References []string
	End                           string
}

// Reason is why a verdict stands, in lang: Why, or in English the schema's
// verdicts_en over the conditions' English texts. The English is written
// only when asked for: most conversations are in Chinese, and judging all
// benefits is on every turn's path.
func (e *Evaluator) Reason(v Verdict, lang string) (string, error) {
	if lang != kb.LangEnglish || v.Rule == nil {
		return v.Why, nil
	}
	s, err := e.why(v, lang, v.english)
	if err != nil {
		return "", fmt.Errorf("reason for %s: %w", v.Benefit, err)
	}
	return s, nil
}

// why renders the reason for a verdict from the schema's wording in lang,
// over the conditions' texts in that language.
func (e *Evaluator) why(v Verdict, lang string, d whyData) (string, error) {
	w := e.schema.Wording(lang)
	var names []string
	switch v.Status {
	case Eligible:
		names = []string{"eligible"}
	case Ineligible:
		names = []string{"ineligible"}
	case Expired:
		d.End = v.Ended.Format(w.Date)
		names = []string{"expired"}
	case Possible:
		if len(v.Open) > 0 {
			names = append(names, "possible")
		}
		if v.Rule.Deferred {
			names = append(names, "deferred")
		}
	}
	var s string
	for _, n := range names {
		part, err := e.render(w, lang, n, d)
		if err != nil {
			return "", err
		}
		s += part
	}
	if later := e.laterWhy(v, lang); later != "" {
		s = strings.TrimSpace(s) + " " + later
	}
	return strings.TrimSpace(s), nil
}

// laterWhy is what the registry adds to a verdict's reason in lang: the
// document that changed the benefit, continued it, or last ran it.
func (e *Evaluator) laterWhy(v Verdict, lang string) string {
	m := v.later
	if m == nil || e.wording == nil || (v.Status == Ineligible && (!v.claims || !m.Effect.Stale())) {
		// Someone else's benefit, or one whose conditions still hold: a
		// later document changes nothing of the reason.
		return ""
	}
	name := "verdict_continued"
	switch {
	case v.Status == Ineligible:
		// Ruled out on the notice's conditions, which a later document
		// changed: say so, since its own may let them in.
		name = "verdict_changed"
	case v.Status == Superseded:
		name = "verdict_superseded"
	case v.Status == Expired && m.Effect == kb.Ends:
		name = "verdict_stopped"
	case v.Status == Expired:
		name = "verdict_ended"
	}
	key := laterKey{m: m, lang: lang, name: name, checked: v.checked.UnixNano()}
	if s, ok := e.memo.laters.Load(key); ok {
		return s.(string)
	}
	s := e.wording.render(lang, name, e.wording.laterData(lang, m, v.checked, m.ChangeIn(lang)))
	e.memo.store(&e.memo.laters, key, s)
	return s
}

// FactRank is a fact not yet known and how many open verdicts it bears on.
type FactRank struct {
	Key   string
	Count int
}

// RankUnknown orders the facts still unknown by how many possible verdicts
// name them, most first (ties in the order the verdicts name them): ask the
// first to settle the most benefits with one question.
func RankUnknown(verdicts []Verdict) []FactRank {
	var out []FactRank
	for _, v := range verdicts {
		if v.Status != Possible {
			continue
		}
		for _, k := range v.Unknown {
			i := slices.IndexFunc(out, func(r FactRank) bool { return r.Key == k })
			if i < 0 {
				out = append(out, FactRank{Key: k})
				i = len(out) - 1
			}
			out[i].Count++
		}
	}
	slices.SortStableFunc(out, func(a, b FactRank) int { return cmp.Compare(b.Count, a.Count) })
	return out
}
