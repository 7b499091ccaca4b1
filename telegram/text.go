package telegram

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
)

//go:embed text.yaml
var textFile []byte

// Notices the channel says on its own.
const (
	noticeChosen      = "chosen"       // before the label of the button pressed
	noticeStaleButton = "stale_button" // a button of a question no longer asked
	noticeNotText     = "not_text"     // a sticker, photo or voice message
	noticeTooLong     = "too_long"
	noticeUnreadable  = "unreadable" // empty, not UTF-8, nothing but symbols
	noticeFailed      = "failed"     // the engine or the store failed
)

// Commands the channel itself falls back on: "@bot" alone says hello, an
// unknown command asks for help.
const (
	commandStart = "start"
	commandHelp  = "help"
)

// languages the channel speaks; the first is the default.
var languages = []string{"zh", "en"}

// texts are the channel's words, from text.yaml.
type texts struct {
	Commands []command                    `yaml:"commands"`
	Notices  map[string]map[string]string `yaml:"notices"` // lang → name → text
}

// command is one entry of the bot's command menu.
type command struct {
	Name string      `yaml:"name"`
	ZH   commandText `yaml:"zh"`
	EN   commandText `yaml:"en"`
}

type commandText struct {
	Menu string `yaml:"menu"` // the description in Telegram's command menu
	Says string `yaml:"says"` // what the engine is told
}

func (c command) in(lang string) commandText {
	if lang == "en" {
		return c.EN
	}
	return c.ZH
}

// loadTexts reads text.yaml and checks that every language has every text.
func loadTexts() (*texts, error) {
	var t texts
	if err := yaml.UnmarshalWithOptions(textFile, &t, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load telegram texts: %w", err)
	}
	for _, c := range t.Commands {
		for _, lang := range languages {
			if ct := c.in(lang); ct.Menu == "" || ct.Says == "" || c.Name != strings.ToLower(c.Name) {
				return nil, fmt.Errorf("load telegram texts: command %q lacks %s words", c.Name, lang)
			}
		}
	}
	for _, name := range []string{commandStart, commandHelp} {
		if _, ok := t.command(name); !ok {
			return nil, fmt.Errorf("load telegram texts: no command %q", name)
		}
	}
	for _, name := range []string{noticeChosen, noticeStaleButton, noticeNotText, noticeTooLong, noticeUnreadable, noticeFailed} {
		for _, lang := range languages {
			if t.Notices[lang][name] == "" {
				return nil, fmt.Errorf("load telegram texts: notice %s lacks %s", name, lang)
			}
		}
	}
	return &t, nil
}

// notice is a notice in lang.
func (t *texts) notice(lang, name string) string {
	if s := t.Notices[lang][name]; s != "" {
		return s
	}
	return t.Notices[languages[0]][name]
}

// command finds a command by name.
func (t *texts) command(name string) (command, bool) {
	for _, c := range t.Commands {
		if c.Name == name {
			return c, true
		}
	}
	return command{}, false
}

// language picks the channel's language from a Telegram language code
// (an IETF tag: "zh-hans", "en", "ru"): Chinese for Chinese or none given,
// English for anyone else, who is likelier to read it.
func language(code string) string {
	code = strings.ToLower(code)
	if code == "" || strings.HasPrefix(code, "zh") {
		return "zh"
	}
	return "en"
}
