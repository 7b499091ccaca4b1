package answers

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"github.com/goccy/go-yaml"
)

// RepliesFile holds the words around quotes, by language.
const RepliesFile = "replies.yaml"

// Replies are the reply templates of each language, with what is said of
// the policy update registries (currency.yaml; nil without one).
type Replies struct {
	langs    map[string]*replySet
	currency currencyWording
}

type replySet struct {
	Citation    string      `yaml:"citation"`
	SeeAlso     string      `yaml:"see_also"`
	Expired     string      `yaml:"expired"`
	Dated       string      `yaml:"dated"`
	NoAnswer    string      `yaml:"no_answer"`
	OtherRegion string      `yaml:"other_region"`
	NotStated   string      `yaml:"not_stated"`
	FigureCues  []string    `yaml:"figure_cues"`
	FigureAsks  []figureAsk `yaml:"figure_asks"`
	Date        string      `yaml:"date"` // Go layout for dates
	parsed      map[string]*template.Template
}

// LoadReplies reads replies.yaml from a corpus, and currency.yaml where
// the corpus has one.
func LoadReplies(fsys fs.FS) (*Replies, error) {
	data, err := fs.ReadFile(fsys, RepliesFile)
	if err != nil {
		return nil, fmt.Errorf("load replies: %w", err)
	}
	var raw map[string]*replySet
	if err := yaml.UnmarshalWithOptions(data, &raw, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load replies: %w", err)
	}
	if raw["zh"] == nil {
		return nil, fmt.Errorf("load replies: no zh replies")
	}
	for lang, set := range raw {
		for _, f := range set.FigureAsks {
			if err := f.check(); err != nil {
				return nil, fmt.Errorf("load replies: %s: %w", lang, err)
			}
		}
		set.parsed = map[string]*template.Template{}
		for name, text := range map[string]string{
			"citation": set.Citation, "see_also": set.SeeAlso, "expired": set.Expired,
			"dated": set.Dated, "no_answer": set.NoAnswer, "not_stated": set.NotStated,
			"other_region": set.OtherRegion,
		} {
			t, err := template.New(name).Option("missingkey=error").Parse(text)
			if err != nil {
				return nil, fmt.Errorf("load replies: %s.%s: %w", lang, name, err)
			}
			set.parsed[name] = t
		}
	}
	cw, err := loadCurrencyWording(fsys)
	if err != nil {
		return nil, fmt.Errorf("load replies: %w", err)
	}
	return &Replies{langs: raw, currency: cw}, nil
}

// set returns the replies of a language, falling back to Chinese.
func (r *Replies) set(lang string) *replySet {
	if s := r.langs[lang]; s != nil {
		return s
	}
	return r.langs["zh"]
}

// render fills template name of lang with data.
func (r *Replies) render(lang, name string, data any) string {
	var b bytes.Buffer
	if err := r.set(lang).parsed[name].Execute(&b, data); err != nil {
		// Templates are checked at load; a failure here is a programming error
		// in the data passed, and an empty line is better than a crash.
		return ""
	}
	return b.String()
}

// asksFigure reports whether a question asks for an amount, rate or
// standard (多少钱, how much), by the cues of its language.
func (r *Replies) asksFigure(lang, question string) bool {
	q := strings.ToLower(question)
	for _, c := range r.set(lang).FigureCues {
		if strings.Contains(q, strings.ToLower(c)) {
			return true
		}
	}
	return false
}
