package reading_test

import (
	"context"
	"flag"
	"fmt"
	"policybot/jsonl"
	"sort"
	"strings"
	"testing"
	"time"

	"policybot/kb"
	"policybot/reading"
)

var misses = flag.Bool("misses", false, "print the reading set's misses (tuned set only: held-out misses are not for reading)")

// setCase is one line of a reading set: a message, the facts it asserts
// about the speaker, the facts it names without asserting, and whether it
// asks something (testdata/*.jsonl).
type setCase struct {
	Q        string         `json:"q"`
	Facts    map[string]any `json:"facts"`
	Unknown  []string       `json:"unknown"`
	Question bool           `json:"question"`
	Pending  string         `json:"pending"`
	Today    string         `json:"today"`
	Note     string         `json:"note"`
}

// setScore is how a reading set was read.
type setScore struct {
	cases, expected, read, right int
	polarity                     int // a stated value read as its opposite
	unknownRead                  int // a fact named but not asserted, read as asserted
	questionsRight               int
	missed                       []string
}

func (s setScore) precision() float64 { return ratio(s.right, s.read) }
func (s setScore) recall() float64    { return ratio(s.right, s.expected) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s setScore) String() string {
	return fmt.Sprintf("%d messages: precision %.3f, recall %.3f (%d facts stated, %d read, %d right), polarity errors %d, named-but-not-asserted read %d, questions told %.3f",
		s.cases, s.precision(), s.recall(), s.expected, s.read, s.right, s.polarity, s.unknownRead, ratio(s.questionsRight, s.cases))
}

func loadSet(t testing.TB, path string) []setCase {
	t.Helper()
	out, err := jsonl.ReadFile[setCase](path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// scoreSet reads every message of a set and compares the facts asserted.
func scoreSet(t *testing.T, r *reading.Reader, cases []setCase) setScore {
	t.Helper()
	schema := r.Schema()
	var s setScore
	for _, c := range cases {
		day := today
		if c.Today != "" {
			d, err := time.ParseInLocation(time.DateOnly, c.Today, time.Local)
			if err != nil {
				t.Fatalf("%q: today: %v", c.Q, err)
			}
			day = d
		}
		got := r.Read(context.Background(), c.Q, reading.Context{Pending: c.Pending, Today: day})
		asserted := got.Asserted()
		s.cases++
		if got.Question == c.Question {
			s.questionsRight++
		}
		want, err := schema.NormalizeAll(c.Facts)
		if err != nil {
			t.Fatalf("%q: %v", c.Q, err)
		}
		s.expected += len(want)
		s.read += len(asserted)
		var wrong []string
		for k, v := range asserted {
			w, stated := want[k]
			switch {
			case stated && w == v:
				s.right++
			case stated && opposite(schema.Fact(k), w, v):
				s.polarity++
				wrong = append(wrong, fmt.Sprintf("POLARITY %s=%v want %v", k, v, w))
			case contains(c.Unknown, k):
				s.unknownRead++
				wrong = append(wrong, fmt.Sprintf("UNKNOWN-READ %s=%v", k, v))
			case stated:
				wrong = append(wrong, fmt.Sprintf("WRONG %s=%v want %v", k, v, w))
			default:
				wrong = append(wrong, fmt.Sprintf("EXTRA %s=%v", k, v))
			}
		}
		for k, w := range want {
			if _, ok := asserted[k]; !ok {
				wrong = append(wrong, fmt.Sprintf("MISSED %s=%v", k, w))
			}
		}
		if len(wrong) > 0 {
			sort.Strings(wrong)
			s.missed = append(s.missed, fmt.Sprintf("%q (pending %q): %s", c.Q, c.Pending, strings.Join(wrong, "; ")))
		}
	}
	return s
}

// opposite reports whether a value read is the opposite of the one stated:
// true for false, none for some, 0 for a number of people.
func opposite(f *kb.Fact, want, got any) bool {
	if f == nil {
		return false
	}
	switch f.Type {
	case kb.FactBool:
		return want != got
	case kb.FactInt:
		w, _ := want.(int64)
		g, _ := got.(int64)
		return (w == 0) != (g == 0)
	case kb.FactEnum:
		none := func(v any) bool { return v == "none" || v == "no" }
		return none(want) != none(got)
	}
	return false
}

// Floors the reading sets are held to, a little under what the reader
// achieves (README, "Eligibility dialogue"), so that a change that reads
// worse fails. Polarity errors (a stated no read as a yes, or the reverse)
// are the worst a reader can do: none on the tuned set; on the polarity set
// two double negations it cannot take apart (没有不是应届的, 不是没有领失业
// 金，是已经领完了); on the held-out set three, which the issue asks to be
// none and README says are not. The second held-out set was written after
// the first had been tuned against (its aggregates seen on every run), to
// measure the reader afresh; its floors are its first run's, rounded down.
var setFloors = map[string]struct {
	precision, recall float64
	polarity          int
}{
	"tuned":             {0.89, 0.86, 0},
	"polarity (tuned)":  {0.87, 0.75, 2},
	"realistic (tuned)": {0.87, 0.75, 2},
	"held-out":          {0.90, 0.77, 3},
	"held-out 2":        {0.79, 0.65, 0},
}

// TestReadingSets reads the tuned and the held-out reading sets and holds
// them to their floors. The held-out set (testdata/heldout.jsonl) was
// written by someone who saw neither code nor tables, and committed before
// any tuning; nothing may be fitted to it.
func TestReadingSets(t *testing.T) {
	r := newReader(t)
	for _, set := range []struct {
		name, path string
		showMisses bool
	}{
		{"tuned", "testdata/tuned.jsonl", *misses},
		{"polarity (tuned)", "testdata/polarity.jsonl", *misses},
		{"realistic (tuned)", "testdata/realistic.jsonl", *misses},
		{"held-out", "testdata/heldout.jsonl", false},
		{"held-out 2", "testdata/heldout-2.jsonl", false},
	} {
		t.Run(set.name, func(t *testing.T) {
			cases := loadSet(t, set.path)
			if len(cases) < 150 {
				t.Fatalf("%d messages; want at least 150", len(cases))
			}
			floor := setFloors[set.name]
			s := scoreSet(t, r, cases)
			t.Logf("%s: %s", set.name, s)
			if set.showMisses {
				for _, m := range s.missed {
					t.Log(m)
				}
			}
			if s.polarity > floor.polarity {
				t.Errorf("%d polarity errors; want at most %d", s.polarity, floor.polarity)
			}
			if s.precision() < floor.precision || s.recall() < floor.recall {
				t.Errorf("precision %.3f, recall %.3f; want at least %.2f and %.2f", s.precision(), s.recall(), floor.precision, floor.recall)
			}
		})
	}
}
