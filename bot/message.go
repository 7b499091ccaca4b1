package bot

import (
	"policybot/answers"
)

// Message is what a person sent on a channel: text, or the value of a
// button they pressed.
type Message struct {
	Session string // empty to start a conversation
	Channel string // cli, web, telegram, wechat, staff, api
	UserID  string // the channel's id of the person; logged only as a keyed hash
	Text    string
	Option  string // a button's value, instead of Text
	// Stream, when set, receives a model-phrased answer sentence by
	// sentence as each passes verification, before the turn is committed;
	// the Reply returned after the commit is the one that counts.
	Stream func(piece string) error
}

// Status of a reply: the ask contract's answered and no_answer, plus asking
// (a follow-up question is waiting) and result (eligibility verdicts).
type Status string

// Reply statuses.
const (
	StatusAnswered Status = "answered"
	StatusNoAnswer Status = "no_answer"
	StatusAsking   Status = "asking"
	StatusResult   Status = "result"
)

// Reply is one turn's answer: the JSON of "chat --json" and POST /api/chat.
// Text is what a person reads; the other fields let channels show buttons,
// citations and results their own way.
type Reply struct {
	Session     string             `json:"session"`
	Turn        int64              `json:"turn"` // for feedback on this reply
	Status      Status             `json:"status"`
	Reply       string             `json:"reply"`
	Citations   []answers.Citation `json:"citations"`
	Question    *Question          `json:"question,omitempty"`
	Results     []Result           `json:"results,omitempty"`
	Suggestions []Option           `json:"suggestions,omitempty"` // buttons offered without a question
	Lang        string             `json:"lang"`
	// Facts are what the engine knows of the person so far, {key: value}:
	// for "what I know about you", and for tests of what was understood.
	Facts map[string]any `json:"facts"`

	answer  *answers.Answer   // the structured answer, for channels that render it themselves
	verdict []answers.Verdict // the structured verdicts
}

// Options are the buttons a reply offers: its question's options, or the
// suggestions it makes without a question (看看我能否享受, 查看全部).
func (r *Reply) Options() []Option {
	if r.Question != nil && len(r.Question.Options) > 0 {
		return r.Question.Options
	}
	return r.Suggestions
}

// Answer is the structured answer behind the reply, if it answered a question.
func (r *Reply) Answer() *answers.Answer { return r.answer }

// Verdicts are the structured verdicts behind Results.
func (r *Reply) Verdicts() []answers.Verdict { return r.verdict }

// Question is a follow-up question: the fact it asks for and its buttons.
type Question struct {
	Fact    string   `json:"fact"`
	Text    string   `json:"text"`
	Options []Option `json:"options"`
}

// Option is a button: the value sent back and the label shown.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Result is one benefit's verdict in the chat contract.
type Result struct {
	Benefit  string              `json:"benefit"` // its name, as the notice names it
	ID       string              `json:"id"`      // the rule id
	Clause   int                 `json:"clause"`
	Doc      string              `json:"doc"`
	Status   answers.Eligibility `json:"status"`
	Amount   string              `json:"amount"`
	Why      string              `json:"why"`
	NextStep string              `json:"next_step,omitempty"`
	Title    string              `json:"title"` // the clause title
}

// Special option values: buttons that are not answers to a question.
const (
	OptionCheck   = "check"   // start an eligibility check
	OptionSkip    = "skip"    // skip the question asked
	OptionResults = "results" // stop asking and give the verdicts now
	OptionAll     = "all"     // every verdict, not only what applies first
)
