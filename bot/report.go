package bot

import "time"

// What the conversation log reports to the people who run the service.
// Texts in them are the redacted ones the log keeps.

// ConversationSummary is one conversation as the console lists it.
type ConversationSummary struct {
	ID        string
	Channel   string
	Started   time.Time
	Updated   time.Time
	Turns     int
	LastIn    string    // the last turn's redacted user text
	LastOut   string    // the last turn's redacted reply
	Status    string    // the last turn's status
	Results   []Verdict // the verdicts of the last turn that gave any
	Helpful   int       // turns marked helpful
	Unhelpful int       // turns marked unhelpful
}

// FrequentQuestion is a user text and how often it was sent.
type FrequentQuestion struct {
	Text     string
	Count    int
	NoAnswer int // how many of those got no answer
	Last     time.Time
}

// Gap is a turn the bot could not answer, or whose reply was marked
// unhelpful.
type Gap struct {
	TurnID       int64
	Conversation string
	Channel      string
	At           time.Time
	In, Out      string
	Status       string
	Unhelpful    bool
}

// Volume is the traffic of one channel on one day.
type Volume struct {
	Day           string // YYYY-MM-DD in the location asked for
	Channel       string
	Conversations int // distinct conversations with a turn that day
	Turns         int
}
