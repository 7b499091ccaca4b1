package evaluation_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/answers"
	"policybot/corpus"
	"policybot/evaluation"
	"policybot/kb"
	"policybot/retrieval"
)

// The question sets. Tuned sets are what retrieval, the tables and the
// thresholds were designed and tuned on; the held-out set was written blind
// from the notice alone and committed before any tuning, and nothing is
// fitted to it (README, "Quality").
var (
	tunedSets = []string{"testdata/questions.jsonl", "testdata/questions-apart.jsonl"}
	heldOut   = "testdata/heldout.jsonl"
)

func cases(t *testing.T, files ...string) []evaluation.Case {
	t.Helper()
	var out []evaluation.Case
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := evaluation.ReadCases(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, cs...)
	}
	return out
}

var stacks sync.Map // kb.Analysis → *answers.Answerer

// answerer is the answerer over the embedded corpus with an analysis, built
// once per test binary.
func answerer(t *testing.T, a kb.Analysis) *answers.Answerer {
	t.Helper()
	if v, ok := stacks.Load(a); ok {
		return v.(*answers.Answerer)
	}
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	r, err := retrieval.Open(c, "", a)
	if err != nil {
		t.Fatal(err)
	}
	replies, err := answers.LoadReplies(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 11, 26, 0, 0, 0, 0, time.Local)
	ans := answers.New(r, replies, func() time.Time { return today })
	v, loaded := stacks.LoadOrStore(a, ans)
	if loaded {
		r.Close()
	}
	return v.(*answers.Answerer)
}

func TestMain(m *testing.M) {
	code := m.Run()
	stacks.Range(func(_, v any) bool {
		v.(*answers.Answerer).Retriever().Close()
		return true
	})
	os.Exit(code)
}

func run(t *testing.T, a kb.Analysis, files ...string) *evaluation.Report {
	t.Helper()
	rep, err := evaluation.Run(context.Background(), evaluation.AskAnswerer(answerer(t, a)), cases(t, files...))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// target is one figure a report must reach.
type target struct {
	name      string
	got, want float64
	atLeast   bool
}

// check holds a report to its targets. A failing tuned set prints its
// misses for reading; a held-out set's are never printed (showMisses
// false): reading them is how a set stops being held out.
func check(t *testing.T, rep *evaluation.Report, targets []target, showMisses bool) {
	t.Helper()
	for _, c := range targets {
		if (c.atLeast && c.got < c.want) || (!c.atLeast && c.got > c.want) {
			t.Errorf("%s = %.3f, want %s %.3f", c.name, c.got, map[bool]string{true: "≥", false: "≤"}[c.atLeast], c.want)
		}
	}
	if t.Failed() && showMisses {
		for _, m := range rep.Misses {
			t.Logf("miss: %s want %v got %v (%s) %s", m.Q, m.Want, m.Got, m.Status, m.Why)
		}
	}
}

func logReport(t *testing.T, name string, r *evaluation.Report) {
	t.Helper()
	t.Logf("%s: %d cases (%d out of scope, %d unstated): top-1 %.3f recall@3 %.3f MRR %.3f facts %.3f unstated said %.3f oos refused %.3f in scope refused %.3f median reply %d",
		name, r.Cases, r.OutOfScope, r.Unstated, r.Top1, r.Recall3, r.MRR, r.FactRate, r.UnstatedRate, r.OOSRefused, r.InScopeRefused, r.MedianReply)
}

// TestTuned holds retrieval and answers to the quality the product needs on
// the sets they were tuned on: the right clause first, nothing refused that
// the notice covers, everything refused that it does not, the figure asked
// for in the reply, and replies that fit a phone screen.
func TestTuned(t *testing.T) {
	rep := run(t, kb.AnalysisWords, tunedSets...)
	logReport(t, "tuned", rep)
	if rep.Cases < 300 || rep.OutOfScope < 50 || rep.Unstated < 8 {
		t.Fatalf("tuned sets too small: %d cases, %d out of scope, %d unstated", rep.Cases, rep.OutOfScope, rep.Unstated)
	}
	// Floors just under what is achieved (README, "Quality"): below the
	// issue's targets since the tables lost their entries fitted to single
	// questions.
	check(t, rep, []target{
		{"top-1", rep.Top1, 0.93, true},
		{"recall@3", rep.Recall3, 0.95, true},
		{"figure in reply", rep.FactRate, 0.89, true},
		{"unstated said", rep.UnstatedRate, 0.88, true},
		{"out of scope refused", rep.OOSRefused, 0.9, true},
		{"in scope refused", rep.InScopeRefused, 0.02, false},
		{"median reply length", float64(rep.MedianReply), 300, false},
	}, true)
}

// TestHeldOut measures the sets nobody tuned for and holds each to the
// issue's targets where they were reached, and to a floor just under the
// figure honestly achieved where they were not (README says which). Their
// recall@3 must be ahead of a plain BM25 over character bigrams on the
// same questions.
func TestHeldOut(t *testing.T) {
	for _, set := range heldOutSets {
		t.Run(set.name, func(t *testing.T) {
			cs := cases(t, set.path)
			rep, err := evaluation.Run(context.Background(), evaluation.AskAnswerer(answerer(t, kb.AnalysisWords)), cs)
			if err != nil {
				t.Fatal(err)
			}
			logReport(t, set.name, rep)
			base := bigramBaseline(t, cs)
			t.Logf("%s, BM25 over bigrams: top-1 %.3f recall@3 %.3f MRR %.3f", set.name, base.Top1, base.Recall3, base.MRR)
			if rep.Cases < 200 {
				t.Fatalf("held-out set too small: %d cases", rep.Cases)
			}
			f := set.floors
			check(t, rep, []target{
				{"top-1", rep.Top1, f.top1, true},
				{"recall@3", rep.Recall3, f.recall3, true},
				{"figure in reply", rep.FactRate, f.facts, true},
				{"unstated said", rep.UnstatedRate, f.unstated, true},
				{"out of scope refused", rep.OOSRefused, f.oosRefused, true},
				{"in scope refused", rep.InScopeRefused, f.inRefused, false},
				{"recall@3 ahead of BM25 over bigrams by", rep.Recall3 - base.Recall3, f.ahead, true},
			}, false)
		})
	}
}

// heldOutFloors are a held-out set's floors: the targets where
// they are reached, else just under what is honestly achieved, with the
// target beside it (README, "Quality"). Nothing was fitted to reach them.
type heldOutFloors struct {
	top1, recall3, facts, unstated, oosRefused, inRefused, ahead float64
}

// The held-out sets. The second was written the same way at the end of the
// work, after the first's aggregates had been watched on every run, and
// committed before its first run; its floors are that run's, rounded down.
var heldOutSets = []struct {
	name, path string
	floors     heldOutFloors
}{
	{"held-out", heldOut, heldOutFloors{
		top1:       0.83,  // target 0.95; achieved 0.846
		recall3:    0.86,  // target 0.99; achieved 0.868
		facts:      0.82,  // target 0.95; achieved 0.837
		unstated:   0.60,  // achieved 0.615
		oosRefused: 0.9,   // target 0.9; achieved 0.973
		inRefused:  0.05,  // target 0.02; achieved 0.045
		ahead:      0.035, // achieved 0.041 over bleve's bigrams (0.827)
	}},
	{"held-out 2", "testdata/heldout-2.jsonl", heldOutFloors{
		top1:       0.87, // achieved 0.882
		recall3:    0.88, // achieved 0.892
		facts:      0.82, // achieved 0.832
		unstated:   0.60, // achieved 0.640
		oosRefused: 0.75, // target 0.9; achieved 0.771
		inRefused:  0.06, // target 0.02; achieved 0.056
		ahead:      0.02, // achieved 0.025 over bleve's bigrams (0.867)
	}},
}

// analysisNoise is how much better the bigram analyzer's MRR may be before
// the default should change: one question of 355 moves it by about 0.003,
// and the segmenter's words are what the scope decision reads anyway.
const analysisNoise = 0.005

// TestAnalyzersCompared runs the bigram analyzer on the tuned sets: the
// figures go in README beside the segmenter's, which is the one we keep
// unless the bigrams beat it by more than a question or so.
func TestAnalyzersCompared(t *testing.T) {
	words := run(t, kb.AnalysisWords, tunedSets...)
	bigrams := run(t, kb.AnalysisBigram, tunedSets...)
	t.Logf("gse: top-1 %.3f recall@3 %.3f MRR %.3f; cjk: top-1 %.3f recall@3 %.3f MRR %.3f",
		words.Top1, words.Recall3, words.MRR, bigrams.Top1, bigrams.Recall3, bigrams.MRR)
	if bigrams.MRR > words.MRR+analysisNoise {
		t.Errorf("cjk bigrams (MRR %.3f) beat the segmenter (%.3f): switch the default analysis", bigrams.MRR, words.MRR)
	}
}

// Tuned sets must not be named as held out: a name is how people and
// tools (the held-out guard) tell them apart.
func TestTunedSetNames(t *testing.T) {
	for _, f := range tunedSets {
		if n := strings.ToLower(filepath.Base(f)); strings.Contains(n, "hold") || strings.Contains(n, "held") {
			t.Errorf("tuned set %s is named as held out", f)
		}
	}
}

func TestReadCasesRejects(t *testing.T) {
	for name, in := range map[string]string{
		"empty":            "",
		"not json":         "{q: 1}\n",
		"no question":      `{"clauses": [1]}` + "\n",
		"no clauses":       `{"q": "补贴"}` + "\n",
		"wrong type":       `{"q": "补贴", "clauses": "3"}` + "\n",
		"truncated line":   `{"q": "补贴", "clauses": [3]`,
		"unstated oos":     `{"q": "补多少", "oos": true, "unstated": true}` + "\n",
		"unstated fact":    `{"q": "补多少", "clauses": [3], "fact": "2000元", "unstated": true}` + "\n",
		"unstated clauses": `{"q": "补多少", "unstated": true}` + "\n",
	} {
		if _, err := evaluation.ReadCases(strings.NewReader(in)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// An unstated figure is answered when the reply cites the clause, says the
// figure is not stated and marks nothing; each way of failing is a miss.
func TestUnstatedScoring(t *testing.T) {
	c := []evaluation.Case{{Q: "一次性创业补贴发多少", Clauses: []int{11}, Unstated: true}}
	for name, tc := range map[string]struct {
		out  evaluation.Outcome
		want float64
	}{
		"said":           {evaluation.Outcome{Status: "answered", Clauses: []int{11}, Unstated: true}, 1},
		"not said":       {evaluation.Outcome{Status: "answered", Clauses: []int{11}}, 0},
		"other clause":   {evaluation.Outcome{Status: "answered", Clauses: []int{4}, Unstated: true}, 0},
		"marks a figure": {evaluation.Outcome{Status: "answered", Clauses: []int{11}, Unstated: true, Marked: []string{"10万元以下"}}, 0},
		"refused":        {evaluation.Outcome{Status: "no_answer"}, 0},
	} {
		ask := func(context.Context, string) (evaluation.Outcome, error) { return tc.out, nil }
		rep, err := evaluation.Run(context.Background(), ask, c)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unstated != 1 || rep.UnstatedRate != tc.want {
			t.Errorf("%s: %d unstated, rate %.1f, want 1 at %.1f", name, rep.Unstated, rep.UnstatedRate, tc.want)
		}
	}
}
