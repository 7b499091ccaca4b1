package answers

import (
	"slices"
	"strings"
	"time"

	"policybot/kb"
)

// Span is a stretch of quoted text; Figure marks an amount, date, rate or
// other number the reader must not miss.
type Span struct {
	Text   string `json:"text"`
	Figure bool   `json:"figure,omitempty"`
}

// Spans cuts a sentence into plain text and figures, for channels that can
// show emphasis (bold in Telegram, <mark> in the widget).
func Spans(s kb.Sentence) []Span {
	var out []Span
	at := 0
	for _, m := range figures(s) {
		if m.Start < at {
			continue
		}
		if m.Start > at {
			out = append(out, Span{Text: s.Text[at:m.Start]})
		}
		out = append(out, Span{Text: s.Text[m.Start:m.End], Figure: true})
		at = m.End
	}
	if at < len(s.Text) {
		out = append(out, Span{Text: s.Text[at:]})
	}
	return out
}

// Highlight marks a sentence's figures with 【】 for plain-text channels.
func Highlight(s kb.Sentence) string {
	var b strings.Builder
	for _, sp := range Spans(s) {
		if sp.Figure {
			b.WriteString("【" + sp.Text + "】")
		} else {
			b.WriteString(sp.Text)
		}
	}
	return b.String()
}

// Spans is Spans for a sentence of the answer: with no figure marked when
// the answer says the figure asked for is not stated, since the figures
// its quote holds belong to something else and marking one would answer
// wrongly (10万元以下 is a loan limit, not the 一次性创业补贴).
func (a *Answer) Spans(s kb.Sentence) []Span {
	if a.NotStated {
		return []Span{{Text: s.Text}}
	}
	return Spans(s)
}

// Highlight is Highlight for a sentence of the answer, marking what
// a.Spans marks.
func (a *Answer) Highlight(s kb.Sentence) string {
	if a.NotStated {
		return s.Text
	}
	return Highlight(s)
}

// Unhighlight removes the 【】 marks Highlight adds.
func Unhighlight(s string) string {
	return strings.NewReplacer("【", "", "】", "").Replace(s)
}

// Text renders an answer as plain text: the quote with its figures marked,
// the citation, an expiry warning where the measure has ended, what the
// policy update registry knows of later documents, related clauses, and
// when the notice was issued and where to check. When a later document
// changed the quoted terms, or the question asks what is current, the
// registry comes first, and stale figures are not marked as figures.
func (r *Replies) Text(a *Answer) string {
	if a.Status != Answered {
		if a.Place != "" {
			return r.render(a.Lang, "other_region", map[string]string{"Doc": a.Doc.Short, "Region": a.Doc.Region, "Place": a.Place})
		}
		return r.NoAnswerText(a.Lang, a.Doc)
	}
	p := r.parts(a)
	lines := slices.Concat(p.lead, p.label, []string{p.quote}, p.rest)
	return strings.Join(lines, "\n")
}

// replyParts are the lines of an extractive reply around its quote.
type replyParts struct {
	lead  []string // before the quote: the registry, when it comes first
	label []string // just above the quote: that its figures are stale
	quote string
	rest  []string // after the quote: citation, notes, registry, closing line
}

func (r *Replies) parts(a *Answer) replyParts {
	main := a.Quotes[0]
	p := replyParts{quote: "“" + QuoteLine(a) + "”"}
	registry := a.Later != nil && r.currency != nil
	var later []string
	if registry && len(a.Later.Measures) > 0 {
		later = r.laterLines(a.Lang, a.Later)
	}
	// Asked what is current as of a past day before documents the registry
	// knows (a.Later.later), with none out yet: it has nothing to say first.
	first := registry && (a.Later.Stale() || (a.AsksCurrent && (len(later) > 0 || !a.Later.later)))
	if first {
		p.lead = later
		if a.Later.Stale() {
			p.label = []string{r.currency.render(a.Lang, "stale", nil)}
		}
	}
	p.rest = append(p.rest, r.Citation(a.Lang, main))
	if a.NotStated {
		p.rest = append(p.rest, r.NotStatedText(a))
	}
	if end := main.Ended(a.Today); end != nil && len(later) == 0 {
		p.rest = append(p.rest, r.render(a.Lang, "expired", map[string]string{"Date": r.date(a.Lang, end.Date)}))
	}
	if !first {
		p.rest = append(p.rest, later...)
	}
	if len(a.Quotes) > 1 {
		var rel []string
		for _, q := range a.Quotes[1:] {
			rel = append(rel, q.Clause.Label+q.Clause.Title)
		}
		p.rest = append(p.rest, r.render(a.Lang, "see_also", map[string]string{"Clauses": strings.Join(rel, "、")}))
	}
	switch {
	case !registry:
		p.rest = append(p.rest, r.Dated(a.Lang, main.Doc))
	case first && len(later) == 0:
		// Asked what is current, and nothing later is known: say so first.
		p.lead = append(p.lead, r.datedLine(a))
	default:
		p.rest = append(p.rest, r.datedLine(a))
	}
	return p
}

// QuoteSpans cuts the sentences of an answer's main quote into text and
// figures, for channels that show emphasis, as a.Spans marks them. When a
// later document changed the quoted terms its figures are not today's, and
// none is marked either.
func QuoteSpans(a *Answer) []Span {
	var out []Span
	for _, s := range a.Quotes[0].Sentences {
		if a.Later.Stale() {
			out = append(out, Span{Text: s.Text})
			continue
		}
		out = append(out, a.Spans(s)...)
	}
	return out
}

// QuoteLine is an answer's main quote for plain-text channels, its figures
// marked 【】 where they are current (see QuoteSpans).
func QuoteLine(a *Answer) string {
	var b strings.Builder
	for _, sp := range QuoteSpans(a) {
		if sp.Figure {
			b.WriteString("【" + sp.Text + "】")
		} else {
			b.WriteString(sp.Text)
		}
	}
	return b.String()
}

// NotStatedText says the notice states no figure for what was asked, naming
// the benefit when the question named one, and quoting what leaves it to
// another document.
func (r *Replies) NotStatedText(a *Answer) string {
	data := map[string]string{"Deferral": a.Deferral, "Benefit": ""}
	if a.Benefit != nil {
		data["Benefit"] = a.Benefit.NameIn(a.Lang)
	}
	return r.render(a.Lang, "not_stated", data)
}

// Citation renders where a quote comes from.
func (r *Replies) Citation(lang string, q Quote) string {
	return r.render(lang, "citation", map[string]string{
		"Doc": q.Doc.Short, "Number": q.Clause.Label, "Title": q.Clause.Title,
	})
}

// Dated reminds the reader when the notice was issued and where to check.
func (r *Replies) Dated(lang string, d *kb.Document) string {
	return r.render(lang, "dated", map[string]string{"Issued": r.date(lang, d.Issued)})
}

// NoAnswerText says the corpus does not answer, what it does cover (the
// titles of the notice's parts) and where to ask instead.
func (r *Replies) NoAnswerText(lang string, d *kb.Document) string {
	var topics []string
	for _, p := range d.Parts {
		topics = append(topics, p.Title)
	}
	return r.render(lang, "no_answer", map[string]string{"Doc": d.Short, "Topics": strings.Join(topics, "、")})
}

func (r *Replies) date(lang string, t time.Time) string {
	return t.Format(r.set(lang).Date)
}

// figures are the mentions of a sentence a reader must not miss.
func figures(s kb.Sentence) []kb.Mention {
	var out []kb.Mention
	for _, m := range s.Mentions {
		if m.IsFigure() {
			out = append(out, m)
		}
	}
	return out
}
