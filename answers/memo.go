package answers

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/cel-go/interpreter"

	"policybot/kb"
)

// Judging all 46 benefits runs about 160 CEL programs and renders a reason
// per benefit, at every turn of a check, though a condition's outcome
// depends only on the facts it reads and a reason only on its parts, and
// most of those are the same from one turn, and one person, to the next.
// The evaluator remembers them. What it remembers is bounded: a program's
// outcomes by memoLimit in all (a number a person typed makes a key of its
// own), reasons and later documents' lines by the finite set of
// conditions' texts and documents.

// memoLimit bounds the outcomes and reasons remembered; past it, new ones
// are worked out every time.
const memoLimit = 1 << 12

// memo remembers outcomes of programs and rendered reasons.
type memo struct {
	outcomes sync.Map // outcomeKey → outcome
	reasons  sync.Map // string → string
	laters   sync.Map // laterKey → string
	size     atomic.Int64
}

// laterKey is what a later document's line in a reason is written from.
type laterKey struct {
	m          *kb.LaterMeasure
	lang, name string
	checked    int64
}

// outcomeKey is a program (a condition's or an amount's) and the values of
// the facts it reads.
type outcomeKey struct {
	program any // *kb.Condition or *kb.RuleAmount
	values  string
}

// outcome is what a program came to: a condition's holds and missing, or
// an amount.
type outcome struct {
	holds   bool
	missing []string
	amount  Amount
	err     error
}

// store keeps v under k while there is room.
func (m *memo) store(table *sync.Map, k, v any) {
	if m.size.Load() >= memoLimit {
		return
	}
	if _, loaded := table.LoadOrStore(k, v); !loaded {
		m.size.Add(1)
	}
}

// valuesKey writes the values of facts in known (normalised: bool, int64,
// string or time.Time; absent is unknown) as a key.
func valuesKey(facts []string, known map[string]any) string {
	var b []byte
	for _, f := range facts {
		switch v := known[f].(type) {
		case nil:
			b = append(b, '?')
		case bool:
			b = strconv.AppendBool(append(b, 'b'), v)
		case int64:
			b = strconv.AppendInt(append(b, 'i'), v, 10)
		case string:
			b = strconv.AppendQuote(append(b, 's'), v)
		case time.Time:
			b = strconv.AppendInt(append(b, 't'), v.UnixNano(), 10)
			b = append(b, v.Location().String()...)
		default:
			return "" // a kind of value not foreseen: not remembered
		}
		b = append(b, 0)
	}
	return string(b)
}

// condition evaluates c, or recalls what it came to for the same values.
func (e *Evaluator) condition(c *kb.Condition, known map[string]any, act interpreter.PartialActivation) (bool, []string, error) {
	key := outcomeKey{c, valuesKey(c.Facts, known)}
	if key.values != "" || len(c.Facts) == 0 {
		if o, ok := e.memo.outcomes.Load(key); ok {
			o := o.(outcome)
			return o.holds, o.missing, o.err
		}
	}
	holds, missing, err := evalCondition(c, act)
	if key.values != "" || len(c.Facts) == 0 {
		e.memo.store(&e.memo.outcomes, key, outcome{holds: holds, missing: missing, err: err})
	}
	return holds, missing, err
}

// amount computes a rule's amount, or recalls it for the same values.
func (e *Evaluator) amount(a *kb.RuleAmount, known map[string]any, act interpreter.PartialActivation) (Amount, error) {
	if a == nil || a.Program == nil {
		return evalAmount(a, nil)
	}
	key := outcomeKey{a, valuesKey(a.Facts, known)}
	if key.values != "" || len(a.Facts) == 0 {
		if o, ok := e.memo.outcomes.Load(key); ok {
			o := o.(outcome)
			out := o.amount
			out.Needs = slices.Clone(o.amount.Needs) // the verdict's own
			return out, o.err
		}
	}
	out, err := evalAmount(a, act)
	if key.values != "" || len(a.Facts) == 0 {
		kept := out
		kept.Needs = slices.Clone(out.Needs)
		e.memo.store(&e.memo.outcomes, key, outcome{amount: kept, err: err})
	}
	return out, err
}

// render fills a verdict template, or recalls it for the same data.
func (e *Evaluator) render(w *kb.VerdictWording, lang, name string, d whyData) (string, error) {
	var b strings.Builder
	b.WriteString(lang)
	for _, part := range [][]string{{name, d.End}, d.Met, d.Failed, d.Open, d.References} {
		b.WriteByte(1)
		for _, s := range part {
			b.WriteString(s)
			b.WriteByte(0)
		}
	}
	key := b.String()
	if s, ok := e.memo.reasons.Load(key); ok {
		return s.(string), nil
	}
	s, err := w.Render(name, d)
	if err == nil {
		e.memo.store(&e.memo.reasons, key, s)
	}
	return s, err
}
