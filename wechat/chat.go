package wechat

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// chatState is what the channel remembers of a follower beside their
// session: the values of the options the last reply numbered, the parts of
// it not yet shown, and the language of the conversation.
type chatState struct {
	Turn    int64    `json:"turn,omitempty"`
	Options []string `json:"options,omitempty"` // option values, numbered from 1
	More    []string `json:"more,omitempty"`    // parts still to show, each ready to send
	Lang    string   `json:"lang,omitempty"`
}

func decodeChatState(b []byte) chatState {
	var st chatState
	if len(b) > 0 {
		// An unreadable state only loses the numbered options and the rest
		// of a long reply.
		_ = json.Unmarshal(b, &st)
	}
	return st
}

func (st chatState) encode() []byte {
	b, _ := json.Marshal(st) // an int and strings always encode
	return b
}

// pick is the option a reply of just its number chooses ("2", "２", " 2 ",
// "2。"); ok is false for anything else, or a number no option has.
func (st chatState) pick(text string) (string, bool) {
	s := bare(width.Narrow.String(text))
	if s == "" || len(s) > 2 || strings.Trim(s, "0123456789") != "" {
		return "", false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > len(st.Options) {
		return "", false
	}
	return st.Options[n-1], true
}

// bare is a reply without the spaces and punctuation around it: a voice
// message's recognition ends with 。, and people type "1." or "全部！".
func bare(text string) string {
	return strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}
