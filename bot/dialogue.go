package bot

import (
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"text/template"

	"github.com/goccy/go-yaml"
)

// DialogueFile holds the engine's phrases and replies.
const DialogueFile = "dialogue.yaml"

// Dialogue is what the engine says: reply templates per language. What a
// message says is the reading stage's (reading.yaml).
type Dialogue struct {
	ZH map[string]string `yaml:"zh"`
	EN map[string]string `yaml:"en"`

	tmpl map[string]map[string]*template.Template // lang → name → template
}

// LoadDialogue reads dialogue.yaml from a corpus.
func LoadDialogue(fsys fs.FS) (*Dialogue, error) {
	data, err := fs.ReadFile(fsys, DialogueFile)
	if err != nil {
		return nil, fmt.Errorf("load dialogue: %w", err)
	}
	var d Dialogue
	if err := yaml.UnmarshalWithOptions(data, &d, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load dialogue: %w", err)
	}
	d.tmpl = map[string]map[string]*template.Template{}
	for lang, texts := range map[string]map[string]string{"zh": d.ZH, "en": d.EN} {
		d.tmpl[lang] = map[string]*template.Template{}
		for name, text := range texts {
			t, err := template.New(name).Funcs(template.FuncMap{"join": strings.Join}).Option("missingkey=error").Parse(text)
			if err != nil {
				return nil, fmt.Errorf("load dialogue: %s.%s: %w", lang, name, err)
			}
			d.tmpl[lang][name] = t
		}
	}
	for name := range d.tmpl["zh"] {
		if d.tmpl["en"][name] == nil {
			return nil, fmt.Errorf("load dialogue: en lacks %q", name)
		}
	}
	return &d, nil
}

// say renders reply name in lang with data.
func (d *Dialogue) say(lang, name string, data any) string {
	set := d.tmpl[lang]
	if set == nil {
		set = d.tmpl["zh"]
	}
	t := set[name]
	if t == nil {
		return ""
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return ""
	}
	return b.String()
}
