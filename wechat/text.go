package wechat

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

//go:embed text.yaml
var textFile []byte

// Texts the channel says on its own, and the forms it writes.
const (
	textWelcome    = "welcome"   // to a new follower
	textOption     = "option"    // one numbered option: {n} and {label}
	textMore       = "more"      // under a part of a reply with more to come
	textNotText    = "not_text"  // an image, video, location, link …
	textNotHeard   = "not_heard" // a voice message WeChat could not recognise
	textTooLong    = "too_long"
	textUnreadable = "unreadable" // empty, nothing but symbols
	textFailed     = "failed"     // the engine or the store failed
)

// languages the channel speaks; the first is the default.
var languages = []string{"zh", "en"}

// texts are the channel's words, from text.yaml.
type texts struct {
	More  []string                     `yaml:"more"`
	Texts map[string]map[string]string `yaml:"texts"` // lang → name → text
}

// loadTexts reads text.yaml and checks that every language has every text.
func loadTexts() (*texts, error) {
	var t texts
	if err := yaml.UnmarshalWithOptions(textFile, &t, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load wechat texts: %w", err)
	}
	if len(t.More) == 0 {
		return nil, fmt.Errorf("load wechat texts: no words asking for more")
	}
	for i, w := range t.More {
		t.More[i] = strings.ToLower(strings.TrimSpace(w))
	}
	for _, name := range []string{textWelcome, textOption, textMore, textNotText, textNotHeard, textTooLong, textUnreadable, textFailed} {
		for _, lang := range languages {
			if t.Texts[lang][name] == "" {
				return nil, fmt.Errorf("load wechat texts: %s lacks %s", name, lang)
			}
		}
	}
	for _, lang := range languages {
		if s := t.Texts[lang][textOption]; !strings.Contains(s, "{n}") || !strings.Contains(s, "{label}") {
			return nil, fmt.Errorf("load wechat texts: option in %s must hold {n} and {label}", lang)
		}
	}
	return &t, nil
}

// text is a text in lang, or in the default language.
func (t *texts) text(lang, name string) string {
	if s := t.Texts[lang][name]; s != "" {
		return s
	}
	return t.Texts[languages[0]][name]
}

// option writes the n-th option (from 1).
func (t *texts) option(lang string, n int, label string) string {
	return strings.NewReplacer("{n}", strconv.Itoa(n), "{label}", label).Replace(t.text(lang, textOption))
}

// asksMore reports whether a message asks for the rest of a long reply:
// it is one of the words, whatever the case and the punctuation around it.
func (t *texts) asksMore(text string) bool {
	return slices.Contains(t.More, strings.ToLower(bare(text)))
}
