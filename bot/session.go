package bot

import (
	"policybot/answers"
	"policybot/redact"

	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
)

// state is what the engine remembers of a conversation between turns. It
// holds facts (enums, numbers, yes/no), never the person's words.
type state struct {
	Facts    map[string]any    `json:"facts,omitempty"`
	Sources  map[string]string `json:"sources,omitempty"` // fact → text | button | llm | api
	Pending  string            `json:"pending,omitempty"` // the fact last asked for
	Asked    []string          `json:"asked,omitempty"`
	Declined []string          `json:"declined,omitempty"` // facts the person could not or would not give
	Tries    map[string]int    `json:"tries,omitempty"`    // how many times each fact was asked: twice at most
	Replies  int               `json:"replies,omitempty"`  // replies of the person in the check under way
	Told     []string          `json:"told,omitempty"`     // facts the person stated unasked
	Named    []string          `json:"named,omitempty"`    // facts the person named without asserting (退捕渔民有帮扶吗)
	Topics   []ClauseRef       `json:"topics,omitempty"`   // clauses the answers to their messages cited
	Checking bool              `json:"checking,omitempty"` // an eligibility check is under way
	Lang     string            `json:"lang,omitempty"`
	// History is the last few messages, personal data redacted and cut
	// short: what a model phrasing the next answer may know of the
	// conversation. It is kept only while a model is configured.
	History []answers.Message `json:"history,omitempty"`
}

// Limits of the history kept for a model.
const (
	historyMessages = 4
	historyRunes    = 300
)

// remember adds a message to the history, redacted and cut short.
func (s *state) remember(role, text string) {
	text = redact.Text(text)
	if r := []rune(text); len(r) > historyRunes {
		text = string(r[:historyRunes])
	}
	s.History = append(s.History, answers.Message{Role: role, Content: text})
	if n := len(s.History); n > historyMessages {
		s.History = s.History[n-historyMessages:]
	}
}

func decodeState(b []byte) (*state, error) {
	s := &state{}
	if len(b) > 0 {
		if err := json.Unmarshal(b, s); err != nil {
			return nil, fmt.Errorf("decode session state: %w", err)
		}
	}
	if s.Facts == nil {
		s.Facts = map[string]any{}
	}
	if s.Sources == nil {
		s.Sources = map[string]string{}
	}
	return s, nil
}

func (s *state) encode() []byte {
	b, _ := json.Marshal(s) // maps of strings, numbers and bools always encode
	return b
}

// settled reports whether a fact needs no question: known, or declined.
func (s *state) settled(key string) bool {
	_, known := s.Facts[key]
	return known || slices.Contains(s.Declined, key)
}

func (s *state) learn(key string, value any, source string) {
	s.Facts[key] = value
	s.Sources[key] = source
	s.Declined = slices.DeleteFunc(s.Declined, func(k string) bool { return k == key })
}

// cited notes the clauses an answer to the person cited: what they asked
// about, for choosing questions.
func (s *state) cited(ans *answers.Answer) {
	for _, r := range ans.Refs() {
		if c := (ClauseRef{Doc: r.Doc, Clause: r.Clause}); !slices.Contains(s.Topics, c) {
			s.Topics = append(s.Topics, c)
		}
	}
}

// tried counts one more asking of a fact.
func (s *state) tried(key string) {
	if s.Tries == nil {
		s.Tries = map[string]int{}
	}
	s.Tries[key]++
}

func (s *state) decline(key string) {
	if !slices.Contains(s.Declined, key) {
		s.Declined = append(s.Declined, key)
	}
}

// known is a copy of the facts known, for the reply.
func (s *state) known() map[string]any {
	out := make(map[string]any, len(s.Facts))
	for k, v := range s.Facts {
		out[k] = v
	}
	return out
}

func (s *state) reset() {
	*s = state{Facts: map[string]any{}, Sources: map[string]string{}, Lang: s.Lang}
}

// sessionID is a new random conversation id: 128 bits, hex.
func sessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

var validSessionID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ValidSessionID reports whether id looks like one the engine hands out;
// anything else is refused before it reaches the store.
func ValidSessionID(id string) bool { return validSessionID.MatchString(id) }
