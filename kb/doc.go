// Package kb is policybot's knowledge base: published notices parsed into
// parts, clauses and sentences, what each sentence states, and the bleve index
// that finds them.
package kb

import "time"

// Document is one published notice.
type Document struct {
	ID       string
	Title    string
	Short    string // a short name for citations
	Issuer   string
	Issued   time.Time
	Number   string // document number (文号), "" when none is known
	NumberOK bool   // false when the number comes from a secondary source and is unconfirmed
	// NumberCitedBy is the official page that cites the notice by its
	// number, when the notice does not print it; nil when none is known.
	NumberCitedBy *Citing
	Region        string
	Source        string // where the notice was published
	Audience      string // the addressees (主送机关) as printed
	Preamble      string
	Parts         []Part
	Closing       string
}

// Part is a numbered part of a notice (一、稳定市场主体就业岗位).
type Part struct {
	Ordinal int
	Title   string
	Clauses []Clause
}

// Clause is a numbered measure of a notice ((三)降低企业用工成本). Its identity
// is its document id and ordinal, stable across rebuilds.
type Clause struct {
	Doc       string
	Ordinal   int    // 1-based position in the whole document
	Number    string // as printed: （三）
	Label     string // how citations name it: the number, with the part's when numbering restarts in each part
	Part      int    // ordinal of the part it belongs to
	PartTitle string
	Title     string
	Sentences []Sentence // the body after the title, in order
	Ends      []Expiry   // end dates of measures stated in the clause
}

// Sentence is one sentence of a clause body.
type Sentence struct {
	Index    int // 0-based position within the clause body
	Text     string
	Mentions []Mention
	Ends     *Expiry // the end date of the measure this sentence states, if any
}

// Expiry is the end of a measure's period.
type Expiry struct {
	Date   time.Time
	Phrase string // the words that state it, as normalised
}

// Ref returns the clause's citation key.
func (c *Clause) Ref() ClauseRef { return ClauseRef{Doc: c.Doc, Clause: c.Ordinal} }

// Text is the clause as printed: title then body.
func (c *Clause) Text() string {
	n := len(c.Title) + 3
	for _, s := range c.Sentences {
		n += len(s.Text)
	}
	b := make([]byte, 0, n)
	b = append(b, c.Title...)
	b = append(b, "。"...)
	for _, s := range c.Sentences {
		b = append(b, s.Text...)
	}
	return string(b)
}

// ClauseRef names a clause of a notice.
type ClauseRef struct {
	Doc    string `json:"doc"`
	Clause int    `json:"clause"`
}

// Clauses lists every clause of the document in order.
func (d *Document) Clauses() []*Clause {
	var out []*Clause
	for i := range d.Parts {
		for j := range d.Parts[i].Clauses {
			out = append(out, &d.Parts[i].Clauses[j])
		}
	}
	return out
}

// Clause returns the clause with the given ordinal, or nil.
func (d *Document) Clause(ordinal int) *Clause {
	for i := range d.Parts {
		for j := range d.Parts[i].Clauses {
			if c := &d.Parts[i].Clauses[j]; c.Ordinal == ordinal {
				return c
			}
		}
	}
	return nil
}
