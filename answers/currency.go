package answers

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/goccy/go-yaml"

	"policybot/kb"
)

// CurrencyFile holds what policybot says of the policy update registries
// (<notice>.currency.yaml), by language: the cue words of questions about
// what is current, and the lines of replies and verdicts.
const CurrencyFile = "currency.yaml"

// maxLater bounds the later documents one reply lists: the newest are
// what a reader needs; the staff console shows them all.
const maxLater = 3

// currencySet is the wording of one language.
type currencySet struct {
	Asks              []string `yaml:"asks"`
	Source            string   `yaml:"source"`
	Header            string   `yaml:"header"`
	Later             string   `yaml:"later"`
	Ended             string   `yaml:"ended"`
	NoneNewer         string   `yaml:"none_newer"`
	Stale             string   `yaml:"stale"`
	DatedLater        string   `yaml:"dated_later"`
	DatedNothing      string   `yaml:"dated_nothing"`
	DatedEnded        string   `yaml:"dated_ended"`
	Cite              string   `yaml:"cite"`
	CiteNoNumber      string   `yaml:"cite_nonumber"`
	VerdictSuperseded string   `yaml:"verdict_superseded"`
	VerdictContinued  string   `yaml:"verdict_continued"`
	VerdictEnded      string   `yaml:"verdict_ended"`
	VerdictStopped    string   `yaml:"verdict_stopped"`
	VerdictChanged    string   `yaml:"verdict_changed"`
	Date              string   `yaml:"date"`
	Month             string   `yaml:"month"`
	Year              string   `yaml:"year"`
	parsed            map[string]*template.Template
}

// currencyWording is the wording of every language.
type currencyWording map[string]*currencySet

// loadCurrencyWording reads currency.yaml from a corpus; a corpus without
// one has nil wording, and says nothing of registries.
func loadCurrencyWording(fsys fs.FS) (currencyWording, error) {
	data, err := fs.ReadFile(fsys, CurrencyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", CurrencyFile, err)
	}
	var w currencyWording
	if err := yaml.UnmarshalWithOptions(data, &w, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load %s: %w", CurrencyFile, err)
	}
	if w["zh"] == nil {
		return nil, fmt.Errorf("load %s: no zh wording", CurrencyFile)
	}
	for lang, set := range w {
		set.parsed = map[string]*template.Template{}
		for name, text := range map[string]string{
			"header": set.Header, "later": set.Later, "ended": set.Ended, "none_newer": set.NoneNewer,
			"stale": set.Stale, "dated_later": set.DatedLater, "dated_nothing": set.DatedNothing,
			"dated_ended": set.DatedEnded, "cite": set.Cite, "cite_nonumber": set.CiteNoNumber,
			"verdict_superseded": set.VerdictSuperseded, "verdict_continued": set.VerdictContinued,
			"verdict_ended": set.VerdictEnded, "verdict_stopped": set.VerdictStopped, "verdict_changed": set.VerdictChanged, "source": set.Source,
		} {
			if strings.TrimSpace(text) == "" {
				return nil, fmt.Errorf("load %s: %s.%s is empty", CurrencyFile, lang, name)
			}
			if name == "source" {
				continue // a label, not a template
			}
			t, err := template.New(name).Option("missingkey=error").Parse(text)
			if err != nil {
				return nil, fmt.Errorf("load %s: %s.%s: %w", CurrencyFile, lang, name, err)
			}
			set.parsed[name] = t
		}
		if set.Date == "" || set.Month == "" || set.Year == "" {
			return nil, fmt.Errorf("load %s: %s: date, month and year layouts are required", CurrencyFile, lang)
		}
	}
	return w, nil
}

func (w currencyWording) set(lang string) *currencySet {
	if s := w[lang]; s != nil {
		return s
	}
	return w["zh"]
}

// render fills template name of lang; templates are checked at load, so a
// failure is a programming error in the data passed and gives "".
func (w currencyWording) render(lang, name string, data any) string {
	var b bytes.Buffer
	if err := w.set(lang).parsed[name].Execute(&b, data); err != nil {
		return ""
	}
	return b.String()
}

// asks reports whether a question asks what is current (还有吗, 现在是多少).
func (w currencyWording) asks(lang, question string) bool {
	q := strings.ToLower(question)
	return slices.ContainsFunc(w.set(lang).Asks, func(c string) bool { return strings.Contains(q, strings.ToLower(c)) })
}

func (w currencyWording) date(lang string, d kb.PartialDate) string {
	s := w.set(lang)
	return d.Format(s.Date, s.Month, s.Year)
}

func (w currencyWording) day(lang string, t time.Time) string { return t.Format(w.set(lang).Date) }

// cite is a later document's number and date: （渝人社规〔2025〕11号，2025年6月）.
func (w currencyWording) cite(lang string, d *kb.LaterDoc) string {
	data := map[string]string{"Number": d.Number, "Date": w.date(lang, d.Date)}
	if d.Number == "" {
		return w.render(lang, "cite_nonumber", data)
	}
	return w.render(lang, "cite", data)
}

// laterData is what the templates of one later document see.
func (w currencyWording) laterData(lang string, m *kb.LaterMeasure, checked time.Time, change string) map[string]string {
	data := map[string]string{
		"Title": m.Doc.Title, "Cite": w.cite(lang, m.Doc), "Change": change, "Checked": w.day(lang, checked),
	}
	data["End"] = w.date(lang, m.Doc.Date)
	if end, ok := m.Until(); ok && !m.Period.End.IsZero() {
		data["End"] = w.day(lang, end)
	}
	return data
}

// Currency is what the policy update registry says, on the day asked, of
// the measures a quote states: the later documents users may be told of,
// newest first, and what follows from them.
type Currency struct {
	Checked  time.Time          // the day the registry was last checked
	Measures []*kb.LaterMeasure // newest first, at most maxLater
	Today    time.Time
	stale    bool
	// later is set when the registry knows a document on these measures
	// issued after Today (asked as of a past day): "none is known" is then
	// not the registry's to say.
	later  bool
	source string // the title its lines have as a phrased answer's sources
}

// Stale reports whether a later document listed changed or replaced the
// quoted terms: the notice's figures are then not today's.
func (c *Currency) Stale() bool { return c != nil && c.stale }

// Ended reports whether every document listed has run its course: its
// period ended, or it ended the measure. False when none is listed.
func (c *Currency) Ended() bool {
	if c == nil || len(c.Measures) == 0 {
		return false
	}
	for _, m := range c.Measures {
		if !laterEnded(m, c.Today) {
			return false
		}
	}
	return true
}

// laterEnded reports whether a later document's measure is over on today.
func laterEnded(m *kb.LaterMeasure, today time.Time) bool { return m.Ended(today) }

// currencyOf is what the registry of quote q's notice says on today of the
// measures the quote states: for each rule anchored in a quoted sentence,
// the newest document on it, and every document on the clause as a whole.
// nil when the notice has no registry.
func currencyOf(c *kb.Corpus, q Quote, today time.Time, named []*kb.Rule) *Currency {
	reg := c.Currency[q.Doc.ID]
	if reg == nil {
		return nil
	}
	out := &Currency{Checked: reg.Checked.Time, Today: today}
	add := func(m *kb.LaterMeasure) {
		if m != nil && !slices.Contains(out.Measures, m) &&
			!slices.ContainsFunc(out.Measures, func(x *kb.LaterMeasure) bool { return x.Doc == m.Doc && x.Change == m.Change }) {
			out.Measures = append(out.Measures, m)
		}
	}
	ruled := quotedRules(c.Rules[q.Doc.ID], q)
	// A question that names benefits is about them: 一次性创业补贴 shares its
	// sentence with the loans, whose later documents are not its answer.
	if mine := slices.DeleteFunc(slices.Clone(ruled), func(id string) bool {
		return !slices.ContainsFunc(named, func(r *kb.Rule) bool { return r.ID == id })
	}); len(named) > 0 && len(mine) > 0 {
		ruled = mine
	} else if len(named) > 0 && slices.ContainsFunc(named, func(r *kb.Rule) bool { return r.Ref() == q.Clause.Ref() }) {
		ruled = nil
		for _, r := range named {
			if r.Ref() == q.Clause.Ref() {
				ruled = append(ruled, r.ID)
			}
		}
	}
	for _, id := range ruled {
		m := reg.Latest(id, today)
		add(m)
		out.stale = out.stale || (m != nil && m.Effect.Stale())
	}
	for _, m := range reg.Clause(q.Clause.Ordinal) {
		bears := len(m.Rules) == 0 || slices.ContainsFunc(ruled, m.Names)
		out.later = out.later || (bears && m.Doc.Visible() && !m.Issued(today))
	}
	// A document on the clause as a whole (a new year's targets) makes the
	// quote stale only where the quote states figures it could replace.
	hasFigures := slices.ContainsFunc(q.Sentences, func(s kb.Sentence) bool { return len(figures(s)) > 0 })
	for _, m := range reg.Whole(q.Clause.Ordinal, today) {
		add(m)
		out.stale = out.stale || (hasFigures && m.Effect.Stale())
	}
	slices.SortStableFunc(out.Measures, func(a, b *kb.LaterMeasure) int { return b.Doc.Date.Compare(a.Doc.Date.Time) })
	if len(out.Measures) > maxLater {
		out.Measures = out.Measures[:maxLater]
	}
	return out
}

// quotedRules lists the rules whose sentences a quote states. A quoted
// sentence that states no benefit of its own (基层 service points in
// clause 15, beside its free services) speaks of the clause's measures as
// a whole: every rule of the clause.
func quotedRules(rs *kb.RuleSet, q Quote) []string {
	if rs == nil {
		return nil
	}
	var of []*kb.Rule
	for _, r := range rs.Rules {
		if r.Clause == q.Clause.Ordinal && r.Quote != nil {
			of = append(of, r)
		}
	}
	var out []string
	for _, s := range q.Sentences {
		anchored := false
		for _, r := range of {
			if r.Quote.Index == s.Index {
				anchored = true
				if !slices.Contains(out, r.ID) {
					out = append(out, r.ID)
				}
			}
		}
		if !anchored {
			for _, r := range of {
				if !slices.Contains(out, r.ID) {
					out = append(out, r.ID)
				}
			}
		}
	}
	return out
}

// Later is a later document as the JSON contracts give it: beside a
// citation, and as a verdict's current document.
type Later struct {
	ID         string `json:"id"` // the registry's id of the document
	Number     string `json:"number,omitempty"`
	Title      string `json:"title"`
	Issuer     string `json:"issuer"`
	Date       string `json:"date"` // YYYY-MM-DD, YYYY-MM or YYYY, as known
	Effect     string `json:"effect"`
	Change     string `json:"change"`
	ChangeEN   string `json:"change_en"`
	PeriodEnd  string `json:"period_end,omitempty"`
	Ended      bool   `json:"ended"` // its period is over on the day asked
	Source     string `json:"source"`
	Confidence string `json:"confidence"`
	Checked    string `json:"checked"` // the day the registry was last checked
}

// laterJSON is a later document's measure in the JSON contracts.
func laterJSON(m *kb.LaterMeasure, checked, today time.Time) Later {
	l := Later{
		ID: m.Doc.ID, Number: m.Doc.Number, Title: m.Doc.Title, Issuer: m.Doc.Issuer, Date: m.Doc.Date.String(),
		Effect: string(m.Effect), Change: m.Change, ChangeEN: m.ChangeEN, Ended: laterEnded(m, today),
		Source: m.SourceURL(), Confidence: string(m.Doc.Confidence), Checked: checked.Format(time.DateOnly),
	}
	if !m.Period.End.IsZero() {
		l.PeriodEnd = m.Period.End.Format(time.DateOnly)
	}
	return l
}

// JSON lists the documents in the JSON contract's form.
func (c *Currency) JSON() []Later {
	if c == nil {
		return nil
	}
	out := make([]Later, 0, len(c.Measures))
	for _, m := range c.Measures {
		out = append(out, laterJSON(m, c.Checked, c.Today))
	}
	return out
}

// changeSentence is a later document's line of what changed as a sentence
// whose figures can be marked, in lang.
func changeSentence(m *kb.LaterMeasure, lang string) kb.Sentence {
	if lang == kb.LangEnglish {
		return kb.Sentence{Text: m.ChangeEN}
	}
	return kb.Sentence{Text: m.Change, Mentions: m.Mentions}
}

// laterLines are the lines a reply gives the registry: the header, one
// line per later document with its figures marked, and, when every one has
// ended, that nothing newer was found.
func (r *Replies) laterLines(lang string, c *Currency) []string {
	w := r.currency
	lines := []string{w.render(lang, "header", map[string]string{"Checked": w.day(lang, c.Checked)})}
	for _, m := range c.Measures {
		line := w.render(lang, "later", w.laterData(lang, m, c.Checked, Highlight(changeSentence(m, lang))))
		if laterEnded(m, c.Today) {
			line += w.render(lang, "ended", w.laterData(lang, m, c.Checked, ""))
		}
		lines = append(lines, line)
	}
	if c.Ended() {
		lines = append(lines, w.render(lang, "none_newer", nil))
	}
	return lines
}

// datedLine closes a reply on a notice that has a registry: when the
// notice was issued, when the registry was checked, and what it knows.
func (r *Replies) datedLine(a *Answer) string {
	w, c := r.currency, a.Later
	data := map[string]string{"Issued": r.date(a.Lang, a.Quotes[0].Doc.Issued), "Checked": w.day(a.Lang, c.Checked)}
	switch {
	case len(c.Measures) > 0:
		return w.render(a.Lang, "dated_later", data)
	case c.later:
		// Asked as of a past day (POLICYBOT_TODAY), before documents the
		// registry knows: "none is known" is not its to say.
		return r.Dated(a.Lang, a.Quotes[0].Doc)
	case a.Quotes[0].Ended(a.Today) != nil:
		return w.render(a.Lang, "dated_ended", data)
	}
	return w.render(a.Lang, "dated_nothing", data)
}

// laterSources are the registry's lines as sources a phrased answer may
// cite, numbered after the quoted sentences: what a model says of a later
// document is verified against them as against the notice.
func laterSources(a *Answer, first int) []Source {
	if a.Later == nil {
		return nil
	}
	var out []Source
	for _, m := range a.Later.Measures {
		text := m.Change
		if a.Lang == kb.LangEnglish {
			text += "（" + m.ChangeEN + "）"
		}
		title := a.Later.source
		if m.Doc.Number != "" {
			title += "：" + m.Doc.Number
		}
		out = append(out, Source{N: first + len(out), Doc: m.Doc.Title, Issued: m.Doc.Date.Time, Title: title, Text: text})
	}
	return out
}

// current fills in what the registry says of an answer's main quote, and
// whether the question asks what is current.
func (a *Answerer) current(ans *Answer, question string, named []*kb.Rule) {
	if a.replies.currency == nil || len(ans.Quotes) == 0 {
		return
	}
	ans.Later = currencyOf(a.retriever.Corpus(), ans.Quotes[0], ans.Today, named)
	if ans.Later != nil {
		ans.Later.source = a.replies.currency.set(ans.Lang).Source
		ans.AsksCurrent = a.replies.currency.asks(ans.Lang, question)
	}
}
