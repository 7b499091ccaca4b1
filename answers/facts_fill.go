package answers

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"policybot/kb"
	"policybot/zh"
)

// FactSpec describes one fact a model may fill: the part of the knowledge
// base's fact schema (kb.Fact) that a prompt and a check need.
type FactSpec struct {
	Key      string
	Type     string   // one of the Fact… types
	Unit     string   // what an int counts: 人, 个月, 万元
	Values   []string // the allowed values of an enum
	Question string   // how the dialogue asks for it
}

// FactSpecsOf lists the facts of a schema a model may fill.
func FactSpecsOf(s *kb.FactSchema) []FactSpec {
	out := make([]FactSpec, 0, len(s.Facts))
	for _, f := range s.Facts {
		spec := FactSpec{Key: f.Key, Type: string(f.Type), Unit: f.Unit, Question: f.Question}
		for _, v := range f.Values {
			spec.Values = append(spec.Values, v.Value)
		}
		out = append(out, spec)
	}
	return out
}

// Types of facts.
const (
	FactBool   = "bool"
	FactInt    = "int"
	FactNumber = "number"
	FactEnum   = "enum"
	FactDate   = "date" // YYYY-MM-DD
)

// FactSourceLLM marks a fact a model read from the person's message and the
// schema allowed (the conversation log's fact source "llm").
const FactSourceLLM = "llm"

// FactRequest is what a FactFiller is given: the person's message, the
// facts it may fill, and the conversation before it.
type FactRequest struct {
	Message string
	Lang    string
	Schema  []FactSpec
	History []Message
}

// FactFiller proposes facts from free text, as a model does. What it
// proposes is only a proposal: Facts keeps what the schema allows.
type FactFiller interface {
	ProposeFacts(ctx context.Context, req FactRequest) (map[string]any, error)
}

// Fact is one fact learnt, with where it came from.
type Fact struct {
	Key    string
	Value  any // bool, int64, float64, string (enum value or YYYY-MM-DD)
	Source string
}

// DroppedFact is a proposed fact the schema did not allow, and why.
type DroppedFact struct {
	Key    string
	Value  any
	Reason string
}

// FactFill is what came of a proposal: the facts kept, in schema order, and
// those dropped, in key order.
type FactFill struct {
	Facts   []Fact
	Dropped []DroppedFact
}

// FillFacts asks f for facts and keeps those the schema allows.
func FillFacts(ctx context.Context, f FactFiller, v *Verifier, req FactRequest) (FactFill, error) {
	proposed, err := f.ProposeFacts(ctx, req)
	if err != nil {
		return FactFill{}, err
	}
	return v.Facts(req, proposed), nil
}

// Facts keeps the proposed facts the schema allows: known keys, values of
// the key's type, enum values among those allowed, and numbers the person
// actually wrote (in the message or earlier in the conversation). A null is
// "not stated" and neither kept nor reported.
func (v *Verifier) Facts(req FactRequest, proposed map[string]any) FactFill {
	var out FactFill
	said := v.numbersSaid(req)
	for _, spec := range req.Schema {
		raw, ok := proposed[spec.Key]
		if !ok || raw == nil {
			continue
		}
		val, reason := accept(spec, raw, said)
		if reason != "" {
			out.Dropped = append(out.Dropped, DroppedFact{Key: spec.Key, Value: raw, Reason: reason})
			continue
		}
		out.Facts = append(out.Facts, Fact{Key: spec.Key, Value: val, Source: FactSourceLLM})
	}
	known := map[string]bool{}
	for _, spec := range req.Schema {
		known[spec.Key] = true
	}
	var unknown []string
	for k := range proposed {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		out.Dropped = append(out.Dropped, DroppedFact{Key: k, Value: proposed[k], Reason: "not in the schema"})
	}
	slices.SortStableFunc(out.Dropped, func(a, b DroppedFact) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// numbersSaid are the numbers in what the person wrote, however written:
// as figures (50万 is 500000) and as written (50 of 50万, for a fact in 万元).
func (v *Verifier) numbersSaid(req FactRequest) *grounds {
	g := newGrounds()
	texts := []string{req.Message}
	for _, m := range req.History {
		if m.Role == RoleUser {
			texts = append(texts, m.Content)
		}
	}
	for _, t := range texts {
		for _, f := range v.reader.figures(t) {
			g.addFigure(f)
		}
		for _, n := range numberPattern.FindAllString(zh.Digitize(dropThousands(zh.Narrow(t))), -1) {
			if f, err := strconv.ParseFloat(n, 64); err == nil {
				g.numbers[key(f)] = true
			}
		}
		for _, run := range numeralRuns(t) {
			if n, ok := zh.ParseNumber(run); ok {
				g.numbers[float64(n)] = true
			}
		}
	}
	return g
}

// numeralRuns lists the runs of Chinese numerals in s: 三十万 in 想贷款三十万,
// which zh.Digitize keeps as written when no measure word follows.
func numeralRuns(s string) []string {
	var out []string
	var run []rune
	for _, r := range s + " " {
		if zh.IsNumeral(r) {
			run = append(run, r)
			continue
		}
		if len(run) > 0 {
			out = append(out, string(run))
			run = run[:0]
		}
	}
	return out
}

// said reports whether the person wrote v, in the spec's unit: 50 (万元)
// is said by 50万 and by 500000元.
func said(spec FactSpec, v float64, g *grounds) bool {
	if g.numbers[key(v)] {
		return true
	}
	k, ok := scale[strings.TrimSuffix(strings.TrimSuffix(spec.Unit, "元"), "人")]
	return ok && g.numbers[key(v*k)]
}

// accept converts a proposed value to its spec's type, or says why not.
func accept(spec FactSpec, raw any, g *grounds) (any, string) {
	switch spec.Type {
	case FactBool:
		if b, ok := raw.(bool); ok {
			return b, ""
		}
	case FactInt:
		if f, ok := number(raw); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			if !said(spec, f, g) {
				return nil, fmt.Sprintf("%v is not a number the person wrote", f)
			}
			return int64(f), ""
		}
	case FactNumber:
		if f, ok := number(raw); ok {
			if !said(spec, f, g) {
				return nil, fmt.Sprintf("%v is not a number the person wrote", f)
			}
			return f, ""
		}
	case FactEnum:
		if s, ok := raw.(string); ok {
			if slices.Contains(spec.Values, s) {
				return s, ""
			}
			return nil, fmt.Sprintf("%q is not one of %s", s, strings.Join(spec.Values, ", "))
		}
	case FactDate:
		if s, ok := raw.(string); ok {
			if _, err := time.Parse(time.DateOnly, s); err == nil {
				return s, ""
			}
			return nil, fmt.Sprintf("%q is not a date (YYYY-MM-DD)", s)
		}
	default:
		return nil, fmt.Sprintf("type %q is not supported", spec.Type)
	}
	return nil, fmt.Sprintf("%#v is not of type %s", raw, spec.Type)
}

// number reads a JSON number, decoded with or without UseNumber.
func number(raw any) (float64, bool) {
	switch n := raw.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}
