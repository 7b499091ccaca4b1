package redact

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
)

// RedactionFile is the file of the corpus that holds the placeholders and
// cue words.
const RedactionFile = "redaction.yaml"

// Placeholders are the texts that replace each kind of personal data.
type Placeholders struct {
	Phone    string `yaml:"phone"`
	IDNumber string `yaml:"id_number"`
	BankCard string `yaml:"bank_card"`
	Email    string `yaml:"email"`
	Landline string `yaml:"landline"`
	Name     string `yaml:"name"`
	Address  string `yaml:"address"`
	QQ       string `yaml:"qq"`
	WeChat   string `yaml:"wechat"`
}

// table is redaction.yaml as written.
type table struct {
	Placeholders Placeholders `yaml:"placeholders"`
	Email        spelling     `yaml:"email"`
	Names        cueWords     `yaml:"names"`
	Addresses    cueWords     `yaml:"addresses"`
	QQ           cueWords     `yaml:"qq"`
	WeChat       cueWords     `yaml:"wechat"`
	Links        []string     `yaml:"links"`
}

// spelling is how people write @ and the dots of an address in words.
type spelling struct {
	At  []string `yaml:"at"`
	Dot []string `yaml:"dot"`
}

// cueWords announce one kind of data: cues may be followed by it at once,
// labels only after a colon or another link (姓名：…, not 姓名的…).
type cueWords struct {
	Cues   []string `yaml:"cues"`
	Labels []string `yaml:"labels"`
	Stops  []string `yaml:"stops"` // words that end a name in letters
	Ends   string   `yaml:"ends"`  // characters that end an address
	// Asking: words that, right after the cue, make it a question about
	// the kind, not data of it (地址是哪里, 叫什么).
	Asking []string `yaml:"asking"`
}

func parseTable(data []byte) (*table, error) {
	var t table
	if err := yaml.UnmarshalWithOptions(data, &t, yaml.Strict()); err != nil {
		return nil, err
	}
	p := t.Placeholders
	for name, v := range map[string]string{
		"phone": p.Phone, "id_number": p.IDNumber, "bank_card": p.BankCard, "email": p.Email,
		"landline": p.Landline, "name": p.Name, "address": p.Address, "qq": p.QQ, "wechat": p.WeChat,
	} {
		if v == "" {
			return nil, fmt.Errorf("placeholders: %s is missing", name)
		}
	}
	if len(t.Email.At) == 0 || len(t.Email.Dot) == 0 {
		return nil, errors.New("email: at and dot need a word each at least")
	}
	for name, c := range map[string]cueWords{"names": t.Names, "addresses": t.Addresses, "qq": t.QQ, "wechat": t.WeChat} {
		if len(c.Cues)+len(c.Labels) == 0 {
			return nil, fmt.Errorf("%s: no cue words", name)
		}
	}
	if t.Addresses.Ends == "" {
		return nil, errors.New("addresses: ends is empty")
	}
	return &t, nil
}
