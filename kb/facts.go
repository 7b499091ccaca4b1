package kb

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/google/cel-go/cel"
)

// FactsFile is the fact schema every notice's rules are written against.
const FactsFile = "facts.yaml"

// FactType is the kind of value a fact holds.
type FactType string

// Fact types. In rule expressions a bool is a CEL bool, an int a CEL int, an
// enum a CEL string and a date a CEL timestamp.
const (
	FactBool FactType = "bool"
	FactInt  FactType = "int"
	FactEnum FactType = "enum"
	FactDate FactType = "date"
)

// maxInt bounds int facts. No count, month or sum of yuan a person states
// comes near it, and rule arithmetic on it cannot overflow.
const maxInt = 1_000_000_000

// atLeast marks an int option that stands for "this many or more": the
// dialogue asks for the number in words.
const atLeast = "+"

// factKey is what a fact key may look like: a CEL identifier.
var factKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// FactSchema is what policybot may know about the person it talks to
// (corpus/facts.yaml): the facts benefit rules are written over, how to ask
// for each and how free text reveals it. It is data, so a new notice's rules
// need at most new facts, not new code.
type FactSchema struct {
	Facts      []*Fact        `yaml:"facts"`
	Verdicts   VerdictWording `yaml:"verdicts"`
	VerdictsEN VerdictWording `yaml:"verdicts_en"` // the same in English
	byKey      map[string]*Fact
	env        *cel.Env
}

// Fact is one thing policybot may ask: who is asking, how many graduates an
// employer hired, whether a person is 脱贫人口 …
type Fact struct {
	Key      string   `yaml:"key"`
	Name     string   `yaml:"name"`    // short, in Chinese: 企业规模, for saying back what was understood
	NameEN   string   `yaml:"name_en"` // the same in English: enterprise size
	Type     FactType `yaml:"type"`
	Unit     string   `yaml:"unit"`    // what an int counts: 人, 个月, 万元
	UnitEN   string   `yaml:"unit_en"` // the same in English: people, months
	Values   []Choice `yaml:"values"`  // every value of an enum
	Question string   `yaml:"question"`
	English  string   `yaml:"english"` // the question in English
	Options  []Choice `yaml:"options"` // the buttons offered with the question
	// Again and AgainEN ask the question in other words, for the second
	// time it is asked after a reply that did not answer it.
	Again     string      `yaml:"again"`
	AgainEN   string      `yaml:"again_en"`
	Recognise Recognition `yaml:"recognise"`
	// InReply are phrases per value that count only in a reply to the
	// fact's own question: asked 您是否已办理失业登记, 登记还没办 speaks of it.
	InReply map[string][]string `yaml:"in_reply"`
	// Alone are phrases per value that count only as a clause of their own:
	// 女 in 47岁，女，打零工, not in 女儿.
	Alone map[string][]string `yaml:"alone"`
	// Hires are the people an employer may say it hired (招了3个应届生,
	// 没有招残疾人): a hiring verb before one of them reveals this fact, a
	// count for an int fact, yes or no for a bool.
	Hires []string `yaml:"hires"`
	// Dated reveals the fact by when an event happened: 2025年毕业, 去年被裁.
	Dated *Dated `yaml:"dated"`
	// Lasting reveals the fact by how long something lasted: 稳定工作7个月了
	// (a bool: at least AtLeast months), 交了两年失业保险 (an int in 个月).
	Lasting *Lasting `yaml:"lasting"`
	// Category names an enum's values together (农民工 for away and back
	// home): said, it tells no value; denied, it is the value Not.
	Category *Category `yaml:"category"`
	// AnyOf marks a bool that holds when any of several things does (退捕渔
	// 民 or a worker of a closed plant; owed wages, discrimination or another
	// dispute): denying one of them says nothing of the fact.
	AnyOf bool `yaml:"any_of"`
	// Wanted lists the values a person states by wanting them, where 想去外
	// 省打工 states nothing yet: 想创业 is business (its option reads 已创
	// 业或正准备创业); for a number, "any" (想贷20万 is the loan wanted).
	Wanted []string `yaml:"wanted"`
	// IfNot says what a denied value means for an enum: 不是农民工 is
	// migrant_worker no. A value denied without an entry here says nothing.
	IfNot map[string]string `yaml:"if_not"`
}

// Category is the words that name all of an enum's values but one, and
// that one.
type Category struct {
	Words []string `yaml:"words"`
	Not   string   `yaml:"not"`
}

// Dated is how the date of an event reveals a fact: the event's words and
// the value by when it happened, the first rule that holds. An int fact
// without rules counts the years since (1981年出生: an age).
type Dated struct {
	Events []string    `yaml:"events"`
	Values []DatedRule `yaml:"values"`
}

// DatedRule gives a value to an event of a given year, or of at most
// YearsAgo years before today; a rule with neither holds for any past year.
type DatedRule struct {
	Year     int    `yaml:"year"`
	YearsAgo *int   `yaml:"years_ago"`
	Value    string `yaml:"value"`
}

// Lasting is how a duration near one of Words reveals a fact.
type Lasting struct {
	Words   []string `yaml:"words"`
	AtLeast int      `yaml:"at_least"` // months, for a bool fact
}

// Choice is a value with its label in Chinese and in English: an enum
// value or a button.
type Choice struct {
	Value   string `yaml:"value"`
	Label   string `yaml:"label"`
	LabelEN string `yaml:"label_en"`
}

// AtLeast reports whether an int option stands for "N or more", and N: the
// dialogue should then ask for the exact number rather than store N.
func (c Choice) AtLeast() (int64, bool) {
	n, ok := strings.CutSuffix(c.Value, atLeast)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(n, 10, 64)
	return v, err == nil
}

// Recognition is how free text reveals a fact: phrases per value for bool and
// enum facts, patterns with one capture group for int facts.
type Recognition struct {
	Phrases  map[string][]string
	Patterns []*regexp.Regexp
}

// UnmarshalYAML reads either a map of value → phrases or a list of patterns.
func (r *Recognition) UnmarshalYAML(unmarshal func(any) error) error {
	var phrases map[string][]string
	if err := unmarshal(&phrases); err == nil {
		r.Phrases = phrases
		return nil
	}
	var patterns []string
	if err := unmarshal(&patterns); err != nil {
		return errors.New("recognise: want a map of value → phrases or a list of patterns")
	}
	for _, p := range patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("recognise pattern %q: %w", p, err)
		}
		if re.NumSubexp() != 1 {
			return fmt.Errorf("recognise pattern %q: want exactly one capture group, have %d", p, re.NumSubexp())
		}
		r.Patterns = append(r.Patterns, re)
	}
	return nil
}

// VerdictWording is how an eligibility verdict's reason reads (facts.yaml
// verdicts: and verdicts_en:): Go templates over a verdict's condition
// texts and dates.
type VerdictWording struct {
	Eligible   string `yaml:"eligible"`
	Possible   string `yaml:"possible"`
	Deferred   string `yaml:"deferred"`
	Ineligible string `yaml:"ineligible"`
	Expired    string `yaml:"expired"`
	Date       string `yaml:"date"` // Go layout for dates
	parsed     map[string]*template.Template
}

// Render fills the named template (eligible, possible, deferred, ineligible
// or expired) with data.
func (w *VerdictWording) Render(name string, data any) (string, error) {
	t := w.parsed[name]
	if t == nil {
		return "", fmt.Errorf("render verdict: no template %q", name)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render verdict %s: %w", name, err)
	}
	return b.String(), nil
}

// parse builds the templates of the wording named section (verdicts,
// verdicts_en).
func (w *VerdictWording) parse(section string) error {
	w.parsed = map[string]*template.Template{}
	funcs := template.FuncMap{"join": strings.Join}
	for _, v := range []struct{ name, text string }{
		{"eligible", w.Eligible}, {"possible", w.Possible}, {"deferred", w.Deferred},
		{"ineligible", w.Ineligible}, {"expired", w.Expired},
	} {
		name, text := v.name, v.text
		if text == "" {
			return fmt.Errorf("%s: %s is empty", section, name)
		}
		t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(text)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", section, name, err)
		}
		w.parsed[name] = t
	}
	if w.Date == "" {
		return fmt.Errorf("%s: date layout is empty", section)
	}
	return nil
}

// ParseFacts reads facts.yaml and builds the CEL environment rules are
// checked and evaluated in.
func ParseFacts(data []byte) (*FactSchema, error) {
	var s FactSchema
	if err := yaml.UnmarshalWithOptions(data, &s, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("read facts: %w", err)
	}
	if len(s.Facts) == 0 {
		return nil, errors.New("read facts: no facts")
	}
	s.byKey = map[string]*Fact{}
	var errs []error
	for i, f := range s.Facts {
		if err := f.check(); err != nil {
			errs = append(errs, fmt.Errorf("fact %d (%s): %w", i+1, f.Key, err))
			continue
		}
		if err := englishError(f.missingEnglish()); err != nil {
			errs = append(errs, fmt.Errorf("fact %d (%s): %w", i+1, f.Key, err))
		}
		if s.byKey[f.Key] != nil {
			errs = append(errs, fmt.Errorf("fact %s: defined twice", f.Key))
		}
		s.byKey[f.Key] = f
	}
	if err := s.Verdicts.parse("verdicts"); err != nil {
		errs = append(errs, err)
	}
	if err := s.VerdictsEN.parse("verdicts_en"); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("read facts: %w", errors.Join(errs...))
	}
	vars := make([]cel.EnvOption, 0, len(s.Facts))
	for _, f := range s.Facts {
		vars = append(vars, cel.Variable(f.Key, f.celType()))
	}
	env, err := cel.NewEnv(vars...)
	if err != nil {
		return nil, fmt.Errorf("read facts: build rule environment: %w", err)
	}
	s.env = env
	return &s, nil
}

// check validates one fact's definition.
func (f *Fact) check() error {
	if !factKey.MatchString(f.Key) {
		return fmt.Errorf("key %q is not lower_snake_case", f.Key)
	}
	if f.Question == "" || f.English == "" {
		return errors.New("question and english are required")
	}
	switch f.Type {
	case FactEnum:
		if len(f.Values) < 2 {
			return errors.New("an enum needs at least two values")
		}
		for _, v := range f.Values {
			if v.Value == "" || v.Label == "" {
				return errors.New("every enum value needs a value and a label")
			}
		}
	case FactBool, FactInt, FactDate:
		if len(f.Values) > 0 {
			return fmt.Errorf("values are for enums, not %s", f.Type)
		}
	default:
		return fmt.Errorf("type %q is not bool, int, enum or date", f.Type)
	}
	for _, o := range f.Options {
		if o.Label == "" {
			return fmt.Errorf("option %q has no label", o.Value)
		}
		if _, ok := o.AtLeast(); ok && f.Type == FactInt {
			continue
		}
		if _, err := f.Normalize(o.Value); err != nil {
			return fmt.Errorf("option %q: %w", o.Value, err)
		}
	}
	if err := f.checkFrames(); err != nil {
		return err
	}
	return f.checkRecognition()
}

// checkFrames validates the ways besides phrases that reveal a fact.
func (f *Fact) checkFrames() error {
	if len(f.Hires) > 0 && f.Type != FactInt && f.Type != FactBool {
		return fmt.Errorf("hires: for int and bool facts, not %s", f.Type)
	}
	if d := f.Dated; d != nil {
		if len(d.Events) == 0 || len(d.Values) == 0 && f.Type != FactInt {
			return errors.New("dated: want events, and values unless the fact counts years")
		}
		for _, r := range d.Values {
			if _, err := f.Normalize(r.Value); err != nil {
				return fmt.Errorf("dated: %w", err)
			}
		}
	}
	if l := f.Lasting; l != nil {
		switch {
		case len(l.Words) == 0:
			return errors.New("lasting: want words")
		case f.Type == FactBool && l.AtLeast <= 0:
			return errors.New("lasting: a bool fact needs at_least months")
		case f.Type == FactInt && f.Unit != "个月":
			return fmt.Errorf("lasting: an int fact must count 个月, not %q", f.Unit)
		case f.Type != FactBool && f.Type != FactInt:
			return fmt.Errorf("lasting: for bool and int facts, not %s", f.Type)
		}
	}
	for value := range f.Alone {
		if _, err := f.Normalize(value); err != nil {
			return fmt.Errorf("alone: %w", err)
		}
	}
	if c := f.Category; c != nil {
		if f.Type != FactEnum || len(c.Words) == 0 {
			return errors.New("category: for enums, with words")
		}
		if _, err := f.Normalize(c.Not); err != nil {
			return fmt.Errorf("category: %w", err)
		}
	}
	for _, w := range f.Wanted {
		if w == wantedAny && f.Type == FactInt {
			continue
		}
		if _, err := f.Normalize(w); err != nil {
			return fmt.Errorf("wanted: %w", err)
		}
	}
	for value := range f.InReply {
		if _, err := f.Normalize(value); err != nil {
			return fmt.Errorf("in_reply: %w", err)
		}
	}
	for from, to := range f.IfNot {
		if f.Type != FactEnum {
			return errors.New("if_not: for enums only")
		}
		if _, err := f.Normalize(from); err != nil {
			return fmt.Errorf("if_not: %w", err)
		}
		if _, err := f.Normalize(to); err != nil {
			return fmt.Errorf("if_not: %w", err)
		}
	}
	return nil
}

func (f *Fact) checkRecognition() error {
	r := f.Recognise
	if f.Type == FactInt || f.Type == FactDate {
		if len(r.Phrases) > 0 {
			return fmt.Errorf("recognise: %s facts take patterns, not phrases", f.Type)
		}
		return nil
	}
	if len(r.Patterns) > 0 {
		return fmt.Errorf("recognise: %s facts take phrases per value, not patterns", f.Type)
	}
	for value := range r.Phrases {
		if _, err := f.Normalize(value); err != nil {
			return fmt.Errorf("recognise: %w", err)
		}
	}
	return nil
}

// celType is the CEL type rules see a fact as.
func (f *Fact) celType() *cel.Type {
	switch f.Type {
	case FactBool:
		return cel.BoolType
	case FactInt:
		return cel.IntType
	case FactDate:
		return cel.TimestampType
	default:
		return cel.StringType
	}
}

// Fact returns the fact with the given key, or nil.
func (s *FactSchema) Fact(key string) *Fact { return s.byKey[key] }

// Env is the CEL environment of the schema: one variable per fact. Rules are
// compiled in it; an evaluator builds partial activations from it
// (Env().PartialVars marks every fact not given as unknown).
func (s *FactSchema) Env() *cel.Env { return s.env }

// Validate reports whether value is acceptable for the fact key: an error
// names an unknown key, a value of the wrong type or outside an enum.
func (s *FactSchema) Validate(key string, value any) error {
	_, err := s.Normalize(key, value)
	return err
}

// Normalize checks value against the fact key and returns it in the form
// rules evaluate: bool, int64, string (an enum value) or time.Time. Button
// values arrive as strings ("true", "3", "small") and are accepted too.
func (s *FactSchema) Normalize(key string, value any) (any, error) {
	f := s.byKey[key]
	if f == nil {
		return nil, fmt.Errorf("unknown fact %q", key)
	}
	v, err := f.Normalize(value)
	if err != nil {
		return nil, fmt.Errorf("fact %s: %w", key, err)
	}
	return v, nil
}

// NormalizeAll normalises a set of facts; the error lists every bad one.
func (s *FactSchema) NormalizeAll(facts map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(facts))
	var errs []error
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := s.Normalize(k, facts[k])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[k] = v
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// Normalize checks a value against the fact and returns its canonical form.
func (f *Fact) Normalize(value any) (any, error) {
	switch f.Type {
	case FactBool:
		switch v := value.(type) {
		case bool:
			return v, nil
		case string:
			// Only the spellings buttons use: "1" or "T" is more likely a slip.
			if v == "true" || v == "false" {
				return v == "true", nil
			}
		}
		return nil, fmt.Errorf("want true or false, have %s", describeValue(value))
	case FactInt:
		n, err := toInt(value)
		if err != nil {
			return nil, err
		}
		if n < 0 || n > maxInt {
			return nil, fmt.Errorf("want a number from 0 to %d, have %d", maxInt, n)
		}
		return n, nil
	case FactEnum:
		v, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("want one of %s, have %s", f.valueList(), describeValue(value))
		}
		for _, c := range f.Values {
			if c.Value == v {
				return v, nil
			}
		}
		return nil, fmt.Errorf("want one of %s, have %q", f.valueList(), v)
	case FactDate:
		switch v := value.(type) {
		case time.Time:
			return v, nil
		case string:
			t, err := time.Parse(time.DateOnly, v)
			if err == nil {
				return t, nil
			}
		}
		return nil, fmt.Errorf("want a date YYYY-MM-DD, have %s", describeValue(value))
	}
	return nil, fmt.Errorf("type %q is not known", f.Type)
}

func (f *Fact) valueList() string {
	vals := make([]string, len(f.Values))
	for i, c := range f.Values {
		vals[i] = c.Value
	}
	return strings.Join(vals, ", ")
}

// toInt accepts the ways a whole number arrives: Go integers, a JSON number
// with no fraction, or its decimal string.
func toInt(value any) (int64, error) {
	switch v := value.(type) {
	case int:
		return int64(v), nil
	case int32:
		return int64(v), nil
	case int64:
		return v, nil
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v), nil
		}
	case json.Number:
		return toInt(string(v))
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("want a whole number, have %s", describeValue(value))
}

// wantedAny in a number fact's wanted list: any number of it is wanted.
const wantedAny = "any"

// IsWanted reports whether wanting v states it (see Fact.Wanted).
func (f *Fact) IsWanted(v any) bool {
	for _, w := range f.Wanted {
		if w == wantedAny && f.Type == FactInt {
			return true
		}
		if n, err := f.Normalize(w); err == nil && n == v {
			return true
		}
	}
	return false
}
