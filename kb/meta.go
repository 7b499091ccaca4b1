package kb

import (
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// Meta is a notice's metadata file (<id>.meta.yaml): what a reader needs to
// trust and cite the notice that its text does not print, or prints in a way
// worth confirming.
type Meta struct {
	ID     string `yaml:"id"`
	Title  string `yaml:"title"`       // optional: parsed from the text when empty
	Short  string `yaml:"short_title"` // optional: the title without its issuer when empty
	Issuer string `yaml:"issuer"`      // optional: parsed from the title when empty
	Issued string `yaml:"issued"`      // optional, YYYY-MM-DD: parsed from the date line when empty
	Number struct {
		Value     string  `yaml:"value"`
		Confirmed bool    `yaml:"confirmed"`
		CitedBy   *Citing `yaml:"cited_by"` // the official page that cites the notice by its number
		Note      string  `yaml:"note"`
	} `yaml:"number"`
	Region string    `yaml:"region"`
	Source string    `yaml:"source"`
	Ends   []MetaEnd `yaml:"ends"`
}

// Citing is a page that cites a notice, as a reader can look it up.
type Citing struct {
	Page string `yaml:"page"`
	Date Day    `yaml:"date"`
	URL  string `yaml:"url"`
}

// MetaEnd records the end date of a measure where the text states one, and
// the phrase that states it, so it attaches to the right sentence.
type MetaEnd struct {
	Clause int    `yaml:"clause"`
	Date   string `yaml:"date"`
	Phrase string `yaml:"phrase"`
}

// ParseMeta reads a metadata file.
func ParseMeta(data []byte) (*Meta, error) {
	var m Meta
	if err := yaml.UnmarshalWithOptions(data, &m, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("read metadata: %w", err)
	}
	if m.ID == "" {
		return nil, fmt.Errorf("read metadata: id is empty")
	}
	return &m, nil
}

// apply merges the metadata into a parsed document: typed values override
// parsed ones, and each end date is attached to the sentence holding its phrase.
func (m *Meta) apply(d *Document) error {
	if m.Title != "" {
		d.Title = m.Title
	}
	if m.Issuer != "" {
		d.Issuer = m.Issuer
	}
	if m.Issued != "" {
		t, err := time.Parse(time.DateOnly, m.Issued)
		if err != nil {
			return fmt.Errorf("issued date %q: %w", m.Issued, err)
		}
		d.Issued = t
	}
	if m.Short != "" {
		d.Short = m.Short
	}
	d.Number, d.NumberOK, d.NumberCitedBy = m.Number.Value, m.Number.Confirmed, m.Number.CitedBy
	if c := m.Number.CitedBy; c != nil {
		if err := checkURL(c.URL); err != nil || c.Page == "" || c.Date.IsZero() {
			return fmt.Errorf("number cited_by: page, date and an http(s) url are required")
		}
	}
	d.Region, d.Source = m.Region, m.Source
	for _, e := range m.Ends {
		if err := attachEnd(d, e); err != nil {
			return err
		}
	}
	return nil
}

func attachEnd(d *Document, e MetaEnd) error {
	date, err := time.Parse(time.DateOnly, e.Date)
	if err != nil {
		return fmt.Errorf("end date of clause %d: %w", e.Clause, err)
	}
	c := d.Clause(e.Clause)
	if c == nil {
		return fmt.Errorf("end date names clause %d, which %s does not have", e.Clause, d.ID)
	}
	phrase := Normalize(e.Phrase)
	for i := range c.Sentences {
		s := &c.Sentences[i]
		if phrase != "" && strings.Contains(s.Text, phrase) {
			exp := Expiry{Date: date, Phrase: phrase}
			s.Ends = &exp
			c.Ends = append(c.Ends, exp)
			return nil
		}
	}
	return fmt.Errorf("end date phrase %q not found in clause %d of %s", e.Phrase, e.Clause, d.ID)
}
