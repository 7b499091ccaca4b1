package web

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"policybot/kb"
)

// currencyJSON is the answer of GET /staff/api/currency: each notice's
// policy update registry, clause by clause, for an operator to read out.
type currencyJSON struct {
	Today   string           `json:"today"` // the day "ended" is judged on
	Notices []noticeCurrency `json:"notices"`
}

// noticeCurrency is one notice's registry.
type noticeCurrency struct {
	Doc        string          `json:"doc"`
	Title      string          `json:"title"`
	Number     string          `json:"number,omitempty"`
	NumberCite *numberCiteJSON `json:"number_cited_by,omitempty"`
	Checked    string          `json:"checked"`     // the day the registry was last checked
	CheckedHow string          `json:"checked_how"` // how
	Clauses    []clauseLater   `json:"clauses"`
}

// numberCiteJSON is the official page that cites the notice by number.
type numberCiteJSON struct {
	Page string `json:"page"`
	Date string `json:"date"`
	URL  string `json:"url"`
}

// clauseLater is a clause and the later documents on it, newest first.
type clauseLater struct {
	Clause    int         `json:"clause"`
	Label     string      `json:"label"`
	Title     string      `json:"title"`
	Documents []laterJSON `json:"documents"`
}

// laterJSON is one later document's measure on a clause. Users are told
// only of official ones; the others are leads for staff to check.
type laterJSON struct {
	ID         string   `json:"id"`
	Number     string   `json:"number,omitempty"`
	Title      string   `json:"title"`
	Issuer     string   `json:"issuer"`
	Date       string   `json:"date"`
	Confidence string   `json:"confidence"` // official, secondary or lead
	Lead       bool     `json:"lead"`       // not official: never shown to users
	Verified   string   `json:"verified,omitempty"`
	Source     string   `json:"source,omitempty"`
	Rules      []string `json:"rules,omitempty"` // benefit rule ids; none: the clause as a whole
	Effect     string   `json:"effect"`
	Change     string   `json:"change"`
	ChangeEN   string   `json:"change_en"`
	PeriodEnd  string   `json:"period_end,omitempty"`
	Ended      bool     `json:"ended"`
}

func (c *console) handleCurrency(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Search == nil {
		writeError(w, r, c.log, &apiError{Status: http.StatusServiceUnavailable, Message: "the notices are not set up on this server"})
		return
	}
	today := c.today()
	corpus := c.cfg.Search.Corpus()
	out := currencyJSON{Today: today.Format(time.DateOnly), Notices: []noticeCurrency{}}
	for _, d := range corpus.Docs {
		reg := corpus.Currency[d.ID]
		if reg == nil {
			continue
		}
		n := noticeCurrency{
			Doc: d.ID, Title: d.Short, Number: d.Number, Checked: reg.Checked.Format(time.DateOnly),
			CheckedHow: reg.How, Clauses: []clauseLater{},
		}
		if cb := d.NumberCitedBy; cb != nil {
			n.NumberCite = &numberCiteJSON{Page: cb.Page, Date: cb.Date.Format(time.DateOnly), URL: cb.URL}
		}
		for _, cl := range d.Clauses() {
			ms := reg.Clause(cl.Ordinal)
			if len(ms) == 0 {
				continue
			}
			// What users are told first, newest first; then the leads.
			slices.SortStableFunc(ms, func(a, b *kb.LaterMeasure) int { return cmp.Compare(b2i(!a.Doc.Visible()), b2i(!b.Doc.Visible())) })
			row := clauseLater{Clause: cl.Ordinal, Label: cl.Label, Title: cl.Title}
			for _, m := range ms {
				row.Documents = append(row.Documents, laterOf(m, today))
			}
			n.Clauses = append(n.Clauses, row)
		}
		out.Notices = append(out.Notices, n)
	}
	writeJSON(w, http.StatusOK, out)
}

func laterOf(m *kb.LaterMeasure, today time.Time) laterJSON {
	d := m.Doc
	l := laterJSON{
		ID: d.ID, Number: d.Number, Title: d.Title, Issuer: d.Issuer, Date: d.Date.String(),
		Confidence: string(d.Confidence), Lead: !d.Visible(), Verified: d.Verified, Rules: m.Rules,
		Effect: string(m.Effect), Change: m.Change, ChangeEN: m.ChangeEN, Ended: m.Ended(today),
	}
	if d.Source != "" || m.Source != "" {
		l.Source = m.SourceURL()
	}
	if !m.Period.End.IsZero() {
		l.PeriodEnd = m.Period.End.Format(time.DateOnly)
	}
	return l
}

// today is the day the console judges what has ended on: the answers'
// today where it is set (POLICYBOT_TODAY), else the clock.
func (c *console) today() time.Time {
	if c.cfg.Today != nil {
		return c.cfg.Today()
	}
	return c.now()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
