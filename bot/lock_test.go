package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"policybot/bot"
)

// parallelFacts are messages of one person, each stating one fact the
// others do not; sent at once, every one must stick.
var parallelFacts = []struct{ text, fact string }{
	{"我今年46岁", "age"},
	{"我是女的", "gender"},
	{"我是脱贫户", "poverty_alleviated"},
	{"我是残疾人", "disabled"},
	{"我是退役军人", "veteran"},
	{"我在外地打工", "migrant_worker"},
	{"我家是低保户", "low_income_family"},
	{"我已经办了失业登记", "registered_unemployed"},
}

// TestParallelTurnsOfOneSessionKeepAllFacts sends eight messages of one
// session at the same moment. Turns of a session are serialised, so each
// starts from the state the one before committed and all eight facts are
// kept. Before, each turn started from the same state and the last commit
// won: 4 of 9 facts stuck.
func TestParallelTurnsOfOneSessionKeepAllFacts(t *testing.T) {
	e := newEngine(t, today)
	first := e.send(t, "", bot.Message{Text: "我是个人，想看看自己能享受哪些政策"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, len(parallelFacts))
	for _, p := range parallelFacts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := e.Handle(ctx, bot.Message{Session: first.Session, Channel: "web", Text: p.text}); err != nil {
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := e.state(t, first.Session)
	for _, p := range parallelFacts {
		if _, ok := st.Facts[p.fact]; !ok {
			t.Errorf("%s (from %q) was lost; facts kept: %v", p.fact, p.text, st.Facts)
		}
	}
}
