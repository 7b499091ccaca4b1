package bot_test

import (
	"os"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/reading"
)

// TestDialoguesOfLaterDocuments holds the conversations of
// testdata/currency.yaml, each on its own day, to what dialogues.yaml's
// are held to: the replies name the later document that changed what was
// asked, and verdicts say superseded or expired by it.
func TestDialoguesOfLaterDocuments(t *testing.T) {
	data, err := os.ReadFile("testdata/currency.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []dialogueCase
	if err := yaml.UnmarshalWithOptions(data, &cases, yaml.Strict()); err != nil {
		t.Fatalf("testdata/currency.yaml: %v", err)
	}
	stop := bottest.Shared(t).Reader.Cues().Intents[reading.IntentResults]
	engines := map[string]*testEngine{}
	for _, dc := range cases {
		if dc.Today == "" {
			t.Fatalf("%s: a dialogue of later documents says its day", dc.Name)
		}
		if engines[dc.Today] == nil {
			day, err := time.ParseInLocation(time.DateOnly, dc.Today, time.Local)
			if err != nil {
				t.Fatalf("%s: today %q: %v", dc.Name, dc.Today, err)
			}
			engines[dc.Today] = newEngine(t, day, func(c *bot.Config) { c.MaxQuestions, c.MaxReplies = dialogueQuestions, 10 })
		}
		t.Run(dc.Name, func(t *testing.T) {
			holdDialogue(t, engines[dc.Today], dc, stop)
		})
	}
}
