package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// currencySuffix names a notice's registry of later documents:
// <id>.currency.yaml.
const currencySuffix = ".currency.yaml"

// Confidence is how sure the registry is of a later document.
type Confidence string

// Confidences, from most to least sure. Only Official documents reach what
// users read; the others are leads for staff to check.
const (
	Official  Confidence = "official"  // its text, or a citation of it, read on a government page
	Secondary Confidence = "secondary" // seen only in news or other copies
	Lead      Confidence = "lead"      // a pointer nobody has seen a copy of
)

// Effect is what a later document does to a measure of the notice.
type Effect string

// Effects of a later document on a measure.
const (
	Continues Effect = "continues" // keeps it running, on the same terms or nearly
	Changes   Effect = "changes"   // keeps it with other figures or conditions
	Replaces  Effect = "replaces"  // puts other terms in its place
	Ends      Effect = "ends"      // stops it
)

// Stale reports whether the notice's own figures and conditions no longer
// hold once a document has this effect.
func (e Effect) Stale() bool { return e == Changes || e == Replaces }

// Registry is what is known of later documents that continue, change,
// replace or end measures of one notice (<id>.currency.yaml): data, so a
// newer document is added without a code change.
type Registry struct {
	Doc       string      `yaml:"-"`
	Checked   Day         `yaml:"checked"`     // the day the registry was last checked against its sources
	How       string      `yaml:"checked_how"` // how it was checked
	Documents []*LaterDoc `yaml:"documents"`
}

// LaterDoc is a document issued after the notice that bears on its measures.
type LaterDoc struct {
	ID         string      `yaml:"id"`
	Number     string      `yaml:"number"` // 文号; empty when no page showed it
	Title      string      `yaml:"title"`
	Issuer     string      `yaml:"issuer"`
	Date       PartialDate `yaml:"date"`
	Source     string      `yaml:"source"` // the page it was read on
	Confidence Confidence  `yaml:"confidence"`
	// Verified says what was read on the source, and when: required of an
	// official document, since only those reach users.
	Verified string          `yaml:"verified"`
	Measures []*LaterMeasure `yaml:"measures"`
}

// Visible reports whether users may be told of the document: only what
// was read on a government page is.
func (d *LaterDoc) Visible() bool { return d.Confidence == Official }

// LaterMeasure is what a later document does to one measure of the notice:
// a clause, and within it the benefit rules it bears on (none: the clause
// as a whole, which then touches answers but no verdict).
type LaterMeasure struct {
	Clause   int        `yaml:"clause"`
	Rules    []string   `yaml:"rules"`
	Effect   Effect     `yaml:"effect"`
	Period   RulePeriod `yaml:"period"`    // the period it covers, where stated
	Change   string     `yaml:"change"`    // what changed, in one line of our own words
	ChangeEN string     `yaml:"change_en"` // the same in English
	Source   string     `yaml:"source"`    // a page of its own, when not the document's

	Doc      *LaterDoc `yaml:"-"`
	Mentions []Mention `yaml:"-"` // what Change states, as a sentence's mentions
}

// SourceURL is the page the measure was read on.
func (m *LaterMeasure) SourceURL() string {
	if m.Source != "" {
		return m.Source
	}
	return m.Doc.Source
}

// ChangeIn is the line of what changed in lang.
func (m *LaterMeasure) ChangeIn(lang string) string {
	if lang == LangEnglish {
		return m.ChangeEN
	}
	return m.Change
}

// Issued reports whether the document exists on day today: it was issued
// no later than today (a document known only to the month counts from the
// month's first day).
func (m *LaterMeasure) Issued(today time.Time) bool { return !m.Doc.Date.After(dayOf(today)) }

// Until is the last day the measure runs by the later document: the end of
// the period it covers, or, for a document that ends the measure and gives
// no period, the day it was issued. False when it gives no end.
func (m *LaterMeasure) Until() (time.Time, bool) {
	switch {
	case !m.Period.End.IsZero():
		return m.Period.End.Time, true
	case m.Effect == Ends:
		return m.Doc.Date.Time, true
	}
	return time.Time{}, false
}

// Ended reports whether the measure is over on today by the later
// document: the day after Until.
func (m *LaterMeasure) Ended(today time.Time) bool {
	end, ok := m.Until()
	return ok && dayOf(today).After(end)
}

// Names reports whether the measure bears on rule id.
func (m *LaterMeasure) Names(id string) bool { return slices.Contains(m.Rules, id) }

// Clause lists the measures of the registry on a clause, any confidence,
// newest first.
func (r *Registry) Clause(ordinal int) []*LaterMeasure {
	var out []*LaterMeasure
	for _, d := range r.Documents {
		for _, m := range d.Measures {
			if m.Clause == ordinal {
				out = append(out, m)
			}
		}
	}
	newestFirst(out)
	return out
}

// Latest is what decides a benefit on day today: of the measures users may
// be told of that name the rule and were issued by then, the newest; nil
// when there is none. A later document's terms, including its period,
// take the place of an earlier one's.
func (r *Registry) Latest(rule string, today time.Time) *LaterMeasure {
	var best *LaterMeasure
	for _, d := range r.Documents {
		if !d.Visible() {
			continue
		}
		for _, m := range d.Measures {
			if m.Names(rule) && m.Issued(today) && (best == nil || !m.Doc.Date.Before(best.Doc.Date.Time)) {
				best = m
			}
		}
	}
	return best
}

// Whole lists the measures users may be told of that bear on a clause as a
// whole (they name no rule) and were issued by today, newest first.
func (r *Registry) Whole(clause int, today time.Time) []*LaterMeasure {
	var out []*LaterMeasure
	for _, m := range r.Clause(clause) {
		if len(m.Rules) == 0 && m.Doc.Visible() && m.Issued(today) {
			out = append(out, m)
		}
	}
	return out
}

func newestFirst(ms []*LaterMeasure) {
	slices.SortStableFunc(ms, func(a, b *LaterMeasure) int { return b.Doc.Date.Compare(a.Doc.Date.Time) })
}

// PartialDate is a date known to the day (2025-03-02), the month (2025-06)
// or the year (2022), as the pages that cite a document give it. It
// compares as its first possible day.
type PartialDate struct {
	time.Time
	Precision Precision
}

// Precision is how much of a PartialDate is known.
type Precision int

// Precisions of a PartialDate.
const (
	ToDay Precision = iota
	ToMonth
	ToYear
)

// Layouts of a PartialDate as written in a registry, by precision.
var partialLayouts = []struct {
	layout string
	p      Precision
}{{time.DateOnly, ToDay}, {"2006-01", ToMonth}, {"2006", ToYear}}

// ParsePartialDate reads YYYY-MM-DD, YYYY-MM or YYYY.
func ParsePartialDate(s string) (PartialDate, error) {
	for _, l := range partialLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return PartialDate{Time: t, Precision: l.p}, nil
		}
	}
	return PartialDate{}, fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
}

// UnmarshalYAML reads a partial date; a bare year may come as a number.
func (p *PartialDate) UnmarshalYAML(unmarshal func(any) error) error {
	var s string
	if err := unmarshal(&s); err != nil {
		var year int
		if err := unmarshal(&year); err != nil {
			return errors.New("date: want YYYY-MM-DD, YYYY-MM or YYYY")
		}
		s = fmt.Sprint(year)
	}
	d, err := ParsePartialDate(s)
	if err != nil {
		return err
	}
	*p = d
	return nil
}

// Format writes the date in the layout of its precision: day, month or
// year (a language's 2006年1月2日, 2006年1月, 2006年).
func (p PartialDate) Format(day, month, year string) string {
	switch p.Precision {
	case ToMonth:
		return p.Time.Format(month)
	case ToYear:
		return p.Time.Format(year)
	}
	return p.Time.Format(day)
}

// String is the date as a registry writes it.
func (p PartialDate) String() string { return p.Format(time.DateOnly, "2006-01", "2006") }

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// laterID is what a later document's id may look like.
var laterID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// ParseRegistry reads a notice's registry of later documents and checks it
// against the notice and its rules: every clause and rule named exists and
// the rule is of that clause, effects and confidences are known words,
// every measure says what changed in Chinese and English, every document
// users may be told of says what was verified on which page, and nothing
// is dated after the day the registry was checked. The error lists every
// problem, each naming its document.
func ParseRegistry(doc *Document, rules *RuleSet, data []byte) (*Registry, error) {
	var r Registry
	if err := yaml.UnmarshalWithOptions(data, &r, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("read registry of %s: %w", doc.ID, err)
	}
	r.Doc = doc.ID
	var errs []error
	if r.Checked.IsZero() {
		errs = append(errs, errors.New("checked: the day the registry was last checked is required"))
	}
	seen := map[string]bool{}
	for i, d := range r.Documents {
		for _, err := range d.check(doc, rules, r.Checked) {
			errs = append(errs, fmt.Errorf("document %d (%s): %w", i+1, d.ID, err))
		}
		if seen[d.ID] {
			errs = append(errs, fmt.Errorf("document %s: id used twice", d.ID))
		}
		seen[d.ID] = true
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("read registry of %s: %w", doc.ID, errors.Join(errs...))
	}
	return &r, nil
}

// check validates one document and links its measures to it.
func (d *LaterDoc) check(doc *Document, rules *RuleSet, checked Day) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if !laterID.MatchString(d.ID) {
		bad("id %q: want lower-case letters, digits and hyphens", d.ID)
	}
	if d.Title == "" || d.Issuer == "" {
		bad("title and issuer are required")
	}
	if d.Date.IsZero() {
		bad("date is required")
	} else if !checked.IsZero() && d.Date.After(checked.Time) {
		bad("dated %s, after the registry was checked (%s)", d.Date, checked.Format(time.DateOnly))
	}
	switch d.Confidence {
	case Official:
		if strings.TrimSpace(d.Verified) == "" {
			bad("official but says nothing of what was verified: verified is required")
		}
	case Secondary, Lead:
	default:
		bad("confidence %q: want %s, %s or %s", d.Confidence, Official, Secondary, Lead)
	}
	if d.Confidence != Lead {
		if err := checkURL(d.Source); err != nil {
			bad("source: %w", err)
		}
	}
	if len(d.Measures) == 0 {
		bad("names no measure of the notice")
	}
	for i, m := range d.Measures {
		m.Doc = d
		for _, err := range m.check(doc, rules) {
			bad("measure %d (clause %d): %w", i+1, m.Clause, err)
		}
	}
	return errs
}

// check validates one measure against the notice and its rules.
func (m *LaterMeasure) check(doc *Document, rules *RuleSet) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if doc.Clause(m.Clause) == nil {
		bad("%s has no clause %d", doc.ID, m.Clause)
	}
	for _, id := range m.Rules {
		var r *Rule
		if rules != nil {
			r = rules.Rule(id)
		}
		switch {
		case r == nil:
			bad("rule %q: %s has no such rule", id, doc.ID)
		case r.Clause != m.Clause:
			bad("rule %s is of clause %d, not %d", id, r.Clause, m.Clause)
		}
	}
	switch m.Effect {
	case Continues, Changes, Replaces, Ends:
	default:
		bad("effect %q: want %s, %s, %s or %s", m.Effect, Continues, Changes, Replaces, Ends)
	}
	if strings.TrimSpace(m.Change) == "" || strings.TrimSpace(m.ChangeEN) == "" {
		bad("change and change_en are required: one line of what changed, in Chinese and English")
	}
	if p := m.Period; !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start.Time) {
		bad("period ends before it starts")
	}
	if m.Source != "" {
		if err := checkURL(m.Source); err != nil {
			bad("source: %w", err)
		}
	}
	return errs
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) address", s)
	}
	return nil
}

// loadCurrency reads each notice's registry of later documents, where
// present.
func (c *Corpus) loadCurrency(fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*"+currencySuffix)
	if err != nil {
		return err
	}
	c.Currency = map[string]*Registry{}
	for _, name := range names {
		id := strings.TrimSuffix(path.Base(name), currencySuffix)
		doc := c.Doc(id)
		if doc == nil {
			return fmt.Errorf("registry %s: no notice %s.txt", name, id)
		}
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		reg, err := ParseRegistry(doc, c.Rules[id], data)
		if err != nil {
			return err
		}
		for _, d := range reg.Documents {
			for _, m := range d.Measures {
				m.Mentions = Extract(m.Change, c.Vocabulary)
			}
		}
		c.Currency[id] = reg
	}
	return nil
}
