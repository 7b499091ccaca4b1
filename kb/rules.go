package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/cel-go/cel"
	celast "github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/operators"
	"github.com/google/cel-go/common/types"
)

// rulesSuffix names a notice's benefit rules: <id>.rules.yaml.
const rulesSuffix = ".rules.yaml"

// RoleFact is the fact that says who is asking. Every rule reads it, so a
// benefit is never offered to someone who cannot claim it.
const RoleFact = "role"

// Kinds of benefit a rule may grant.
var benefitKinds = []string{
	"subsidy", "reduction", "refund", "deferral", "loan", "service",
	"opportunity", "award", "relief", "protection",
}

// ruleID is what a rule id may look like.
var ruleID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// RuleSet is the benefit rules of one notice (<id>.rules.yaml): who can
// receive what, under which conditions, written over the fact schema.
type RuleSet struct {
	Doc           string                `yaml:"-"`
	GrantsNothing []NoGrant             `yaml:"grants_nothing"`
	Common        map[string]*Condition `yaml:"common"` // conditions rules reuse by YAML alias
	Rules         []*Rule               `yaml:"rules"`
	byID          map[string]*Rule
}

// NoGrant records a clause judged to grant nothing anyone can claim, and why,
// so a clause with neither rules nor a reason fails to load.
type NoGrant struct {
	Clause int    `yaml:"clause"`
	Reason string `yaml:"reason"`
}

// Rule is one benefit, subsidy, loan, reduction, deferral or service a
// notice grants, and who can receive it.
type Rule struct {
	ID         string       `yaml:"id"`
	Name       string       `yaml:"name"`    // as the notice names it
	English    string       `yaml:"english"` // a short English name
	Clause     int          `yaml:"clause"`
	Phrase     string       `yaml:"phrase"` // words of the clause that state it
	Kind       string       `yaml:"kind"`
	Claimant   Claimants    `yaml:"claimant"` // values of the role fact: who receives it
	Conditions []*Condition `yaml:"conditions"`
	Amount     *RuleAmount  `yaml:"amount"`
	Excludes   []string     `yaml:"excludes"` // rules it cannot be combined with
	Period     RulePeriod   `yaml:"period"`
	Deferred   bool         `yaml:"deferred"` // details are left to another document
	References []string     `yaml:"references"`
	Notes      string       `yaml:"notes"`
	NextStep   string       `yaml:"next_step"`
	// ReferencesEN and NextStepEN are References and NextStep in English.
	ReferencesEN []string `yaml:"references_en"`
	NextStepEN   string   `yaml:"next_step_en"`

	Doc    string    `yaml:"-"`
	Source *Clause   `yaml:"-"` // the clause that grants it
	Quote  *Sentence `yaml:"-"` // the sentence holding Phrase
}

// Claims reports whether someone asking in role receives the benefit:
// the rule names the role among its claimants. Conditions may let in more
// (用人单位 lets in an HR agency, which employs staff too), but a benefit
// is its claimants' own.
func (r *Rule) Claims(role string) bool { return slices.Contains(r.Claimant, role) }

// Ref returns the citation key of the clause that grants the benefit.
func (r *Rule) Ref() ClauseRef { return ClauseRef{Doc: r.Doc, Clause: r.Clause} }

// Claimants are who may receive a benefit: one value or a list in YAML.
type Claimants []string

// UnmarshalYAML reads a single claimant or a list of them.
func (c *Claimants) UnmarshalYAML(unmarshal func(any) error) error {
	var one string
	if err := unmarshal(&one); err == nil {
		*c = Claimants{one}
		return nil
	}
	var many []string
	if err := unmarshal(&many); err != nil {
		return errors.New("claimant: want a name or a list of names")
	}
	*c = many
	return nil
}

// Condition is one condition of a benefit: a CEL expression over facts and
// the reason a person is shown.
type Condition struct {
	Expr     string `yaml:"expr"`
	Text     string `yaml:"text"`
	TextEN   string `yaml:"text_en"`   // the reason in English
	FactHint string `yaml:"fact_hint"` // the fact to ask first while it is open

	Program cel.Program `yaml:"-"` // compiled for partial evaluation
	Facts   []string    `yaml:"-"` // the facts it reads, sorted
}

// RuleAmount is what a benefit is worth: as the notice states it, and as a CEL
// expression over facts where they let it be computed (3 graduates × 2000元).
type RuleAmount struct {
	Expr   string `yaml:"expr"`
	Unit   string `yaml:"unit"`
	UnitEN string `yaml:"unit_en"`
	Text   string `yaml:"text"`
	TextEN string `yaml:"text_en"`

	Program cel.Program `yaml:"-"` // nil when the notice gives nothing to compute
	Facts   []string    `yaml:"-"`
}

// RulePeriod is when a measure runs, where the notice states it.
type RulePeriod struct {
	Start Day `yaml:"start"`
	End   Day `yaml:"end"`
}

// Ended reports whether the period ended before today's date.
func (p RulePeriod) Ended(today time.Time) bool {
	if p.End.IsZero() {
		return false
	}
	y, m, d := today.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).After(p.End.Time)
}

// Day is a calendar day written YYYY-MM-DD.
type Day struct{ time.Time }

// UnmarshalYAML reads YYYY-MM-DD.
func (d *Day) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err != nil {
		return fmt.Errorf("date: want YYYY-MM-DD: %w", err)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	d.Time = t
	return nil
}

// Rule returns the rule with the given id, or nil.
func (s *RuleSet) Rule(id string) *Rule { return s.byID[id] }

// ParseRules reads a notice's rules file and checks it against the notice
// and the fact schema: every expression compiles and has the right type,
// names only known facts and enum values, excludes names known rules, and
// every clause either grants something or says why not. The error lists
// every problem, each naming its rule.
func ParseRules(doc *Document, data []byte, schema *FactSchema) (*RuleSet, error) {
	var s RuleSet
	if err := yaml.UnmarshalWithOptions(data, &s, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("read rules of %s: %w", doc.ID, err)
	}
	s.Doc = doc.ID
	s.byID = map[string]*Rule{}
	var errs []error
	for name, c := range s.Common {
		if err := c.compile(schema); err != nil {
			errs = append(errs, fmt.Errorf("common condition %s: %w", name, err))
		}
		if c.Text != "" && c.TextEN == "" {
			errs = append(errs, fmt.Errorf("common condition %s: no English: text_en", name))
		}
	}
	for i, r := range s.Rules {
		for _, err := range r.check(doc, schema) {
			errs = append(errs, fmt.Errorf("rule %d (%s): %w", i+1, r.ID, err))
		}
		if s.byID[r.ID] != nil {
			errs = append(errs, fmt.Errorf("rule %s: id used twice", r.ID))
		}
		s.byID[r.ID] = r
	}
	errs = append(errs, s.checkExcludes()...)
	errs = append(errs, s.checkCoverage(doc)...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("read rules of %s: %w", doc.ID, errors.Join(errs...))
	}
	return &s, nil
}

// check validates one rule against its notice and compiles its expressions,
// returning every problem.
func (r *Rule) check(doc *Document, schema *FactSchema) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !ruleID.MatchString(r.ID) {
		bad("id %q is not lower_snake_case", r.ID)
	}
	if r.Name == "" || r.English == "" || r.NextStep == "" {
		bad("name, english and next_step are required")
	}
	if !slices.Contains(benefitKinds, r.Kind) {
		bad("kind %q is not one of %s", r.Kind, strings.Join(benefitKinds, ", "))
	}
	if len(r.Claimant) == 0 {
		bad("claimant is required")
	}
	if role := schema.Fact(RoleFact); role != nil {
		for _, c := range r.Claimant {
			if _, err := role.Normalize(c); err != nil {
				bad("claimant %q is not a value of %s (%s)", c, RoleFact, role.valueList())
			}
		}
	}
	if err := r.anchor(doc); err != nil {
		errs = append(errs, err)
	}
	readsRole := false
	for i, c := range r.Conditions {
		if err := c.compile(schema); err != nil {
			bad("condition %d: %w", i+1, err)
		}
		readsRole = readsRole || slices.Contains(c.Facts, RoleFact)
	}
	if !readsRole && schema.Fact(RoleFact) != nil {
		bad("no condition reads %s: say who can claim it", RoleFact)
	}
	if r.Amount != nil {
		if err := r.Amount.compile(schema); err != nil {
			bad("amount: %w", err)
		}
	}
	if r.Deferred && len(r.References) == 0 {
		bad("deferred but names no reference: say where the details are")
	}
	if err := englishError(r.missingEnglish()); err != nil {
		errs = append(errs, err)
	}
	if !r.Period.Start.IsZero() && !r.Period.End.IsZero() && r.Period.End.Before(r.Period.Start.Time) {
		bad("period ends before it starts")
	}
	if !r.Period.End.IsZero() && r.Source != nil && !statesEnd(r.Source, r.Period.End.Time) {
		bad("period end %s is not an end date clause %d states (see the notice's metadata)",
			r.Period.End.Format(time.DateOnly), r.Clause)
	}
	return errs
}

// anchor finds the rule's clause and the sentence that states it.
func (r *Rule) anchor(doc *Document) error {
	r.Doc = doc.ID
	r.Source = doc.Clause(r.Clause)
	if r.Source == nil {
		return fmt.Errorf("clause %d: %s has no such clause", r.Clause, doc.ID)
	}
	phrase := Normalize(r.Phrase)
	if phrase == "" {
		return errors.New("phrase is required: the words of the clause that state the benefit")
	}
	for i := range r.Source.Sentences {
		if strings.Contains(r.Source.Sentences[i].Text, phrase) {
			r.Quote = &r.Source.Sentences[i]
			return nil
		}
	}
	return fmt.Errorf("phrase %q is not in clause %d (%s)", r.Phrase, r.Clause, r.Source.Title)
}

func statesEnd(c *Clause, end time.Time) bool {
	for _, e := range c.Ends {
		if e.Date.Equal(end) {
			return true
		}
	}
	return false
}

// checkExcludes makes sure excludes name known rules and go both ways.
func (s *RuleSet) checkExcludes() []error {
	var errs []error
	for _, r := range s.Rules {
		for _, id := range r.Excludes {
			other := s.byID[id]
			switch {
			case id == r.ID:
				errs = append(errs, fmt.Errorf("rule %s: excludes itself", r.ID))
			case other == nil:
				errs = append(errs, fmt.Errorf("rule %s: excludes unknown rule %q", r.ID, id))
			case !slices.Contains(other.Excludes, r.ID):
				errs = append(errs, fmt.Errorf("rule %s: excludes %s, but %s does not exclude it", r.ID, id, id))
			}
		}
	}
	return errs
}

// checkCoverage makes every clause either grant something or say why not.
func (s *RuleSet) checkCoverage(doc *Document) []error {
	var errs []error
	granting := map[int]bool{}
	for _, r := range s.Rules {
		granting[r.Clause] = true
	}
	none := map[int]bool{}
	for _, n := range s.GrantsNothing {
		switch {
		case doc.Clause(n.Clause) == nil:
			errs = append(errs, fmt.Errorf("grants_nothing: %s has no clause %d", doc.ID, n.Clause))
		case n.Reason == "":
			errs = append(errs, fmt.Errorf("grants_nothing: clause %d gives no reason", n.Clause))
		case granting[n.Clause]:
			errs = append(errs, fmt.Errorf("grants_nothing: clause %d has rules", n.Clause))
		}
		none[n.Clause] = true
	}
	for _, c := range doc.Clauses() {
		if !granting[c.Ordinal] && !none[c.Ordinal] {
			errs = append(errs, fmt.Errorf("clause %d (%s) has no rules and is not listed in grants_nothing", c.Ordinal, c.Title))
		}
	}
	return errs
}

// compile checks a condition and builds its program.
func (c *Condition) compile(schema *FactSchema) error {
	if c.Text == "" {
		return fmt.Errorf("%q: text is required", c.Expr)
	}
	prg, facts, err := schema.compile(c.Expr, cel.BoolType)
	if err != nil {
		return err
	}
	if c.FactHint != "" && !slices.Contains(facts, c.FactHint) {
		return fmt.Errorf("%q: fact_hint %q is not a fact it reads", c.Expr, c.FactHint)
	}
	c.Program, c.Facts = prg, facts
	return nil
}

// compile checks an amount and builds its program when it has an expression.
func (a *RuleAmount) compile(schema *FactSchema) error {
	if a.Text == "" {
		return errors.New("text is required: the amount as the notice states it")
	}
	if a.Expr == "" {
		return nil
	}
	if a.Unit == "" {
		return fmt.Errorf("%q: unit is required with an expression", a.Expr)
	}
	prg, facts, err := schema.compile(a.Expr, cel.IntType, cel.DoubleType)
	if err != nil {
		return err
	}
	a.Program, a.Facts = prg, facts
	return nil
}

// compile type-checks a rule expression against the schema, and returns its
// program (built for partial evaluation: facts not given are unknown) and the
// facts it reads.
func (s *FactSchema) compile(expr string, want ...*cel.Type) (cel.Program, []string, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil, errors.New("expr is empty")
	}
	ast, iss := s.env.Compile(expr)
	if iss.Err() != nil {
		return nil, nil, fmt.Errorf("%q: %w", expr, iss.Err())
	}
	if !slices.ContainsFunc(want, func(t *cel.Type) bool { return ast.OutputType().IsExactType(t) }) {
		return nil, nil, fmt.Errorf("%q: is %s, want %s", expr, ast.OutputType(), typeNames(want))
	}
	if err := s.checkEnumLiterals(ast.NativeRep()); err != nil {
		return nil, nil, fmt.Errorf("%q: %w", expr, err)
	}
	prg, err := s.env.Program(ast, cel.EvalOptions(cel.OptPartialEval))
	if err != nil {
		return nil, nil, fmt.Errorf("%q: %w", expr, err)
	}
	return prg, s.reads(ast.NativeRep()), nil
}

func typeNames(ts []*cel.Type) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.String()
	}
	return strings.Join(names, " or ")
}

// reads lists the facts a checked expression refers to.
func (s *FactSchema) reads(a *celast.AST) []string {
	var out []string
	for _, ref := range a.ReferenceMap() {
		if ref.Name != "" && s.byKey[ref.Name] != nil && !slices.Contains(out, ref.Name) {
			out = append(out, ref.Name)
		}
	}
	slices.Sort(out)
	return out
}

// checkEnumLiterals catches a misspelt enum value (size == 'smal'), which
// type-checks as a string but would never be true.
func (s *FactSchema) checkEnumLiterals(a *celast.AST) error {
	var errs []error
	celast.PostOrderVisit(a.Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.CallKind {
			return
		}
		call := e.AsCall()
		args := call.Args()
		if len(args) != 2 {
			return
		}
		var lits []celast.Expr
		var fact *Fact
		switch call.FunctionName() {
		case operators.Equals, operators.NotEquals:
			for i, x := range args {
				if f := s.enumIdent(x); f != nil {
					fact, lits = f, []celast.Expr{args[1-i]}
				}
			}
		case operators.In:
			if f := s.enumIdent(args[0]); f != nil && args[1].Kind() == celast.ListKind {
				fact, lits = f, args[1].AsList().Elements()
			}
		}
		for _, l := range lits {
			if l.Kind() != celast.LiteralKind {
				continue
			}
			v, ok := l.AsLiteral().(types.String)
			if !ok {
				continue
			}
			if _, err := fact.Normalize(string(v)); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", fact.Key, err))
			}
		}
	}))
	return errors.Join(errs...)
}

func (s *FactSchema) enumIdent(e celast.Expr) *Fact {
	if e.Kind() != celast.IdentKind {
		return nil
	}
	if f := s.byKey[e.AsIdent()]; f != nil && f.Type == FactEnum {
		return f
	}
	return nil
}

// loadRules reads the fact schema and each notice's rules, where present.
// A notice without rules is fine; rules without a fact schema are not.
func (c *Corpus) loadRules(fsys fs.FS) error {
	data, err := fs.ReadFile(fsys, FactsFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		if c.Facts, err = ParseFacts(data); err != nil {
			return err
		}
	}
	names, err := fs.Glob(fsys, "*"+rulesSuffix)
	if err != nil {
		return err
	}
	c.Rules = map[string]*RuleSet{}
	for _, name := range names {
		id := strings.TrimSuffix(path.Base(name), rulesSuffix)
		doc := c.Doc(id)
		if doc == nil {
			return fmt.Errorf("rules %s: no notice %s.txt", name, id)
		}
		if c.Facts == nil {
			return fmt.Errorf("rules %s: no %s to check them against", name, FactsFile)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if c.Rules[id], err = ParseRules(doc, data, c.Facts); err != nil {
			return err
		}
	}
	return nil
}

// Claimants lists, per fact, who may state it: the claimants of the rules
// that read it, in a condition or an amount. A fact only employers' rules
// read (enterprise_size) is not a job seeker's to state, and stating it
// says the person speaks for an employer.
func (c *Corpus) Claimants() map[string][]string {
	out := map[string][]string{}
	add := func(key string, roles []string) {
		for _, r := range roles {
			if key != RoleFact && !slices.Contains(out[key], r) {
				out[key] = append(out[key], r)
			}
		}
	}
	ids := make([]string, 0, len(c.Rules))
	for id := range c.Rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, r := range c.Rules[id].Rules {
			for _, cond := range r.Conditions {
				for _, k := range cond.Facts {
					add(k, r.Claimant)
				}
			}
			if r.Amount != nil {
				for _, k := range r.Amount.Facts {
					add(k, r.Claimant)
				}
			}
		}
	}
	return out
}
