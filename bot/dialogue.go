package bot

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"text/template"

	"github.com/goccy/go-yaml"
)

// DialogueFile holds the engine's phrases and replies.
const DialogueFile = "dialogue.yaml"

// Intent is what a message asks the engine to do, beyond answering it.
type Intent string

// Intents read from the phrases of dialogue.yaml.
const (
	IntentNone       Intent = ""
	IntentReset      Intent = "reset"
	IntentHuman      Intent = "human"
	IntentCheck      Intent = "check"
	IntentResults    Intent = "results" // stop asking, give the verdicts now
	IntentGreeting   Intent = "greeting"
	IntentHelp       Intent = "help"
	IntentDontKnow   Intent = "dont_know"
	IntentCorrection Intent = "correction"
	IntentThanks     Intent = "thanks"
)

// Dialogue is the data the engine talks with: intent phrases, yes and no,
// and reply templates per language.
type Dialogue struct {
	Intents map[Intent][]string `yaml:"intents"`
	Yes     []string            `yaml:"yes"`
	No      []string            `yaml:"no"`
	ZH      map[string]string   `yaml:"zh"`
	EN      map[string]string   `yaml:"en"`

	phrases []phrase
	tmpl    map[string]map[string]*template.Template // lang → name → template
}

type phrase struct {
	text   string
	intent Intent
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
	for intent, list := range d.Intents {
		for _, p := range list {
			d.phrases = append(d.phrases, phrase{strings.ToLower(p), intent})
		}
	}
	// Longest phrase first: 不是 before 是, 人工客服 before 人工.
	slices.SortStableFunc(d.phrases, func(a, b phrase) int { return cmp.Compare(len(b.text), len(a.text)) })
	byLen := func(a, b string) int { return cmp.Compare(len(b), len(a)) }
	slices.SortStableFunc(d.Yes, byLen)
	slices.SortStableFunc(d.No, byLen)
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

// intent finds what a folded message asks the engine to do. Commands
// (/reset) and short messages match anywhere; in a longer message only
// phrases that make up most of it count, so "重新开始创业有补贴吗" is a
// question, not a reset.
func (d *Dialogue) intent(folded string) Intent {
	text := strings.TrimSpace(strings.TrimRight(folded, "。.!！?？~～ "))
	for _, p := range d.phrases {
		if !strings.Contains(text, p.text) {
			continue
		}
		switch p.intent {
		case IntentCheck, IntentCorrection, IntentDontKnow, IntentResults:
			return p.intent // these carry over whatever else the message says
		}
		if len(text) <= len(p.text)+9 { // the phrase and at most three more characters
			return p.intent
		}
	}
	return IntentNone
}

// yesNo reads a reply to a yes/no question.
func (d *Dialogue) yesNo(folded string) (bool, bool) {
	text := strings.TrimSpace(strings.Trim(folded, "。.!！?？,，~～ "))
	for _, n := range d.No {
		if startsWord(text, n) {
			return false, true
		}
	}
	for _, y := range d.Yes {
		if startsWord(text, y) {
			return true, true
		}
	}
	return false, false
}

// startsWord reports whether text begins with w, and, when w is in Latin
// letters, with the whole word (no is not the start of nothing).
func startsWord(text, w string) bool {
	if !strings.HasPrefix(text, w) {
		return false
	}
	rest := text[len(w):]
	if rest == "" || w[len(w)-1] >= 0x80 {
		return true
	}
	c := rest[0]
	return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
}
