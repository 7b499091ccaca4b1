package answers

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"text/template"
	"unicode"

	"github.com/goccy/go-yaml"

	"policybot/zh"
)

// PromptsFile holds what policybot asks a language model.
const PromptsFile = "prompts.yaml"

// Roles of the messages of a conversation with a model.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// Message is one message of a conversation: a turn of the history a
// PhraseRequest carries, or a message sent to a model.
type Message struct {
	Role    string
	Content string
}

// echoUnits is how many words (a Chinese character, or a run of Latin
// letters or digits, is a word) a reply must repeat in a row from the
// system prompts to count as echoing them.
const echoUnits = 8

// Prompts are the templates of prompts.yaml, parsed.
type Prompts struct {
	languages    map[string]string
	notStated    map[string]string
	phraseSystem *template.Template
	phraseUser   *template.Template
	factSystem   *template.Template
	factUser     *template.Template
	shingles     map[string]bool // runs of echoUnits words of the system prompts
}

type promptsFile struct {
	Languages map[string]string `yaml:"languages"`
	NotStated map[string]string `yaml:"not_stated"`
	Phrase    promptPair        `yaml:"phrase"`
	Facts     promptPair        `yaml:"facts"`
}

type promptPair struct {
	System string `yaml:"system"`
	User   string `yaml:"user"`
}

// LoadPrompts reads prompts.yaml from a corpus.
func LoadPrompts(fsys fs.FS) (*Prompts, error) {
	data, err := fs.ReadFile(fsys, PromptsFile)
	if err != nil {
		return nil, fmt.Errorf("load prompts: %w", err)
	}
	var raw promptsFile
	if err := yaml.UnmarshalWithOptions(data, &raw, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load prompts: %w", err)
	}
	if raw.Languages["zh"] == "" || raw.NotStated["zh"] == "" {
		return nil, fmt.Errorf("load prompts: no zh language or not_stated sentence")
	}
	p := &Prompts{languages: raw.Languages, notStated: raw.NotStated, shingles: map[string]bool{}}
	funcs := template.FuncMap{"join": strings.Join}
	for _, t := range []struct {
		dst  **template.Template
		name string
		text string
	}{
		{&p.phraseSystem, "phrase.system", raw.Phrase.System}, {&p.phraseUser, "phrase.user", raw.Phrase.User},
		{&p.factSystem, "facts.system", raw.Facts.System}, {&p.factUser, "facts.user", raw.Facts.User},
	} {
		if strings.TrimSpace(t.text) == "" {
			return nil, fmt.Errorf("load prompts: %s is empty", t.name)
		}
		parsed, err := template.New(t.name).Funcs(funcs).Option("missingkey=error").Parse(t.text)
		if err != nil {
			return nil, fmt.Errorf("load prompts: %w", err)
		}
		*t.dst = parsed
	}
	if err := p.learnShingles(); err != nil {
		return nil, fmt.Errorf("load prompts: %w", err)
	}
	return p, nil
}

// learnShingles remembers the system prompts' runs of words, without the
// not-stated sentence, which a reply is asked to repeat.
func (p *Prompts) learnShingles() error {
	for lang, name := range p.languages {
		for _, t := range []*template.Template{p.phraseSystem, p.factSystem} {
			text, err := execute(t, map[string]string{"Language": name, "NotStated": ""})
			if err != nil {
				return fmt.Errorf("%s (%s): %w", t.Name(), lang, err)
			}
			for _, s := range shingles(text) {
				p.shingles[s] = true
			}
		}
	}
	return nil
}

// Echoes reports whether text repeats a run of the system prompts: a reply
// that does is leaking its instructions, whatever it cites.
func (p *Prompts) Echoes(text string) bool {
	for _, s := range shingles(text) {
		if p.shingles[s] {
			return true
		}
	}
	return false
}

// NotStated is the sentence a model writes when the sources do not say.
func (p *Prompts) NotStated(lang string) string {
	if s := p.notStated[lang]; s != "" {
		return s
	}
	return p.notStated["zh"]
}

// IsNotStated reports whether s is one of the not-stated sentences.
func (p *Prompts) IsNotStated(s string) bool {
	trim := func(s string) string {
		return strings.ToLower(strings.TrimRightFunc(zh.Narrow(strings.TrimSpace(s)), unicode.IsPunct))
	}
	for _, n := range p.notStated {
		if trim(s) == trim(n) {
			return true
		}
	}
	return false
}

func (p *Prompts) language(lang string) string {
	if s := p.languages[lang]; s != "" {
		return s
	}
	return p.languages["zh"]
}

// PhraseMessages is what a model is sent to phrase an answer: the rules,
// then the numbered sources, the history and the question, as data.
func (p *Prompts) PhraseMessages(req PhraseRequest) ([]Message, error) {
	lang := p.language(req.Lang)
	system, err := execute(p.phraseSystem, map[string]string{"Language": lang, "NotStated": p.NotStated(req.Lang)})
	if err != nil {
		return nil, fmt.Errorf("phrase prompt: %w", err)
	}
	sources := make([]Source, len(req.Sources))
	for i, s := range req.Sources {
		s.Doc, s.Clause, s.Title, s.Text = fence(s.Doc), fence(s.Clause), fence(s.Title), fence(s.Text)
		sources[i] = s
	}
	user, err := execute(p.phraseUser, map[string]any{
		"Sources": sources, "History": fenceAll(req.History), "Question": fence(req.Question), "Language": lang,
	})
	if err != nil {
		return nil, fmt.Errorf("phrase prompt: %w", err)
	}
	return []Message{{Role: RoleSystem, Content: system}, {Role: RoleUser, Content: user}}, nil
}

// FactMessages is what a model is sent to read facts from a message.
func (p *Prompts) FactMessages(req FactRequest) ([]Message, error) {
	system, err := execute(p.factSystem, map[string]string{"Language": p.language(req.Lang), "NotStated": ""})
	if err != nil {
		return nil, fmt.Errorf("fact prompt: %w", err)
	}
	user, err := execute(p.factUser, map[string]any{
		"Schema": req.Schema, "History": fenceAll(req.History), "Message": fence(req.Message),
	})
	if err != nil {
		return nil, fmt.Errorf("fact prompt: %w", err)
	}
	return []Message{{Role: RoleSystem, Content: system}, {Role: RoleUser, Content: user}}, nil
}

func execute(t *template.Template, data any) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// fence keeps text inside its tags: a < or > in it cannot open or close one.
func fence(s string) string { return strings.NewReplacer("<", "‹", ">", "›").Replace(s) }

func fenceAll(ms []Message) []Message {
	out := make([]Message, len(ms))
	for i, m := range ms {
		out[i] = Message{Role: m.Role, Content: fence(m.Content)}
	}
	return out
}

// shingles lists the runs of echoUnits words of s, lower-cased and narrowed;
// punctuation and spacing do not count, so a reformatted echo still matches.
func shingles(s string) []string {
	var words []string
	var run []rune
	flush := func() {
		if len(run) > 0 {
			words = append(words, string(run))
			run = run[:0]
		}
	}
	for _, r := range strings.ToLower(zh.Narrow(s)) {
		switch {
		case zh.IsHan(r):
			flush()
			words = append(words, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			run = append(run, r)
		default:
			flush()
		}
	}
	flush()
	var out []string
	for i := 0; i+echoUnits <= len(words); i++ {
		out = append(out, strings.Join(words[i:i+echoUnits], "\x00"))
	}
	return out
}
