package answers

import (
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
// the citation, an expiry warning where the measure has ended, related
// clauses, and the reminder that the notice may since have changed.
func (r *Replies) Text(a *Answer) string {
	if a.Status != Answered {
		if a.Place != "" {
			return r.render(a.Lang, "other_region", map[string]string{"Doc": a.Doc.Short, "Region": a.Doc.Region, "Place": a.Place})
		}
		return r.NoAnswerText(a.Lang, a.Doc)
	}
	var lines []string
	main := a.Quotes[0]
	var quote strings.Builder
	for _, s := range main.Sentences {
		quote.WriteString(a.Highlight(s))
	}
	lines = append(lines, "“"+quote.String()+"”", r.Citation(a.Lang, main))
	if a.NotStated {
		lines = append(lines, r.NotStatedText(a))
	}
	if end := main.Ended(a.Today); end != nil {
		lines = append(lines, r.render(a.Lang, "expired", map[string]string{"Date": r.date(a.Lang, end.Date)}))
	}
	if len(a.Quotes) > 1 {
		var rel []string
		for _, q := range a.Quotes[1:] {
			rel = append(rel, q.Clause.Label+q.Clause.Title)
		}
		lines = append(lines, r.render(a.Lang, "see_also", map[string]string{"Clauses": strings.Join(rel, "、")}))
	}
	lines = append(lines, r.Dated(a.Lang, main.Doc))
	return strings.Join(lines, "\n")
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
