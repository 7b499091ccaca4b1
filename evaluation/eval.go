// Package evaluation measures answer quality on a set of questions with
// known answers: how often the right clause comes first, whether the
// expected figure is in the reply, and whether out-of-scope questions are
// refused.
package evaluation

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Case is one line of an evaluation file.
type Case struct {
	Q       string `json:"q"`
	Clauses []int  `json:"clauses"`
	Fact    string `json:"fact,omitempty"`
	OOS     bool   `json:"oos,omitempty"`
	// Unstated marks a question asking for a figure the notice names the
	// benefit of but does not state: the reply must cite one of Clauses, say
	// the figure is not stated, and mark no figure (any it marked would
	// belong to something else).
	Unstated bool `json:"unstated,omitempty"`
}

// Outcome is what the system answered to a case.
type Outcome struct {
	Status   string   // "answered" or "no_answer"
	Reply    string   // as the user sees it, with any emphasis marks removed
	Clauses  []int    // cited clause ordinals, most relevant first
	Unstated bool     // the reply says the figure asked for is not stated
	Marked   []string // the figures the reply marks for the reader
}

// Asker answers one question.
type Asker func(ctx context.Context, q string) (Outcome, error)

// Report is the figures of one evaluation run.
type Report struct {
	Cases          int     `json:"cases"`
	InScope        int     `json:"in_scope"`
	OutOfScope     int     `json:"out_of_scope"`
	Top1           float64 `json:"top1"`
	Recall3        float64 `json:"recall_at_3"`
	MRR            float64 `json:"mrr"`
	FactRate       float64 `json:"fact_rate"`
	Unstated       int     `json:"unstated"`
	UnstatedRate   float64 `json:"unstated_rate"`
	OOSRefused     float64 `json:"oos_refused"`
	InScopeRefused float64 `json:"in_scope_refused"`
	MedianReply    int     `json:"median_reply_chars"`
	QPS            float64 `json:"queries_per_second"`
	Misses         []Miss  `json:"misses,omitempty"`
}

// Miss is a case the system got wrong, for reading.
type Miss struct {
	Q      string `json:"q"`
	Want   []int  `json:"want,omitempty"`
	Got    []int  `json:"got,omitempty"`
	Status string `json:"status"`
	Why    string `json:"why"`
}

// ReadCases reads a JSONL evaluation file.
func ReadCases(r io.Reader) ([]Case, error) {
	var out []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c Case
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if c.Q == "" {
			return nil, fmt.Errorf("line %d: empty question", n)
		}
		if !c.OOS && len(c.Clauses) == 0 {
			return nil, fmt.Errorf("line %d: in-scope case without clauses", n)
		}
		if c.Unstated && (c.OOS || c.Fact != "") {
			return nil, fmt.Errorf("line %d: an unstated figure has neither a fact nor oos", n)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read cases: no cases")
	}
	return out, nil
}

// Run asks every case and scores the answers.
func Run(ctx context.Context, ask Asker, cases []Case) (*Report, error) {
	rep := &Report{Cases: len(cases)}
	var facts, factHits, unstatedHits, oosRefused, inRefused, top1, recall3 int
	var rr float64
	var lengths []int
	start := time.Now()
	for _, c := range cases {
		out, err := ask(ctx, c.Q)
		if err != nil {
			return nil, fmt.Errorf("ask %q: %w", c.Q, err)
		}
		if c.OOS {
			rep.OutOfScope++
			if out.Status == "no_answer" {
				oosRefused++
			} else {
				rep.Misses = append(rep.Misses, Miss{Q: c.Q, Got: out.Clauses, Status: out.Status, Why: "answered out of scope"})
			}
			continue
		}
		rep.InScope++
		// A refusal counts against every figure too.
		if c.Unstated {
			rep.Unstated++
		}
		if c.Fact != "" {
			facts++
		}
		if out.Status == "no_answer" {
			inRefused++
			rep.Misses = append(rep.Misses, Miss{Q: c.Q, Want: c.Clauses, Status: out.Status, Why: "refused in scope"})
			continue
		}
		lengths = append(lengths, utf8.RuneCountInString(out.Reply))
		rank := firstRank(out.Clauses, c.Clauses)
		switch {
		case rank == 1:
			top1++
		default:
			rep.Misses = append(rep.Misses, Miss{Q: c.Q, Want: c.Clauses, Got: out.Clauses, Status: out.Status, Why: fmt.Sprintf("right clause at rank %d", rank)})
		}
		if rank >= 1 && rank <= 3 {
			recall3++
		}
		if rank >= 1 {
			rr += 1 / float64(rank)
		}
		if c.Unstated {
			if why := unstatedMiss(c, out); why == "" {
				unstatedHits++
			} else {
				rep.Misses = append(rep.Misses, Miss{Q: c.Q, Want: c.Clauses, Got: out.Clauses, Status: out.Status, Why: why})
			}
		}
		if c.Fact != "" {
			if strings.Contains(out.Reply, c.Fact) {
				factHits++
			} else {
				rep.Misses = append(rep.Misses, Miss{Q: c.Q, Want: c.Clauses, Got: out.Clauses, Status: out.Status, Why: "reply lacks " + c.Fact})
			}
		}
	}
	elapsed := time.Since(start)
	// Refusing an in-scope question counts against top-1 and recall too.
	rep.Top1 = ratio(top1, rep.InScope)
	rep.Recall3 = ratio(recall3, rep.InScope)
	rep.MRR = rr / float64(max(rep.InScope, 1))
	rep.FactRate = ratio(factHits, facts)
	rep.UnstatedRate = ratio(unstatedHits, rep.Unstated)
	rep.OOSRefused = ratio(oosRefused, rep.OutOfScope)
	rep.InScopeRefused = ratio(inRefused, rep.InScope)
	rep.MedianReply = median(lengths)
	rep.QPS = float64(len(cases)) / elapsed.Seconds()
	return rep, nil
}

// unstatedMiss says what an answer to a question about an unstated figure
// got wrong, or "".
func unstatedMiss(c Case, out Outcome) string {
	switch {
	case firstRank(out.Clauses, c.Clauses) == 0:
		return "does not cite the clause that names the benefit"
	case !out.Unstated:
		return "does not say the figure is not stated"
	case len(out.Marked) > 0:
		return "marks figures of something else: " + strings.Join(out.Marked, " ")
	}
	return ""
}

// firstRank is the 1-based rank of the first cited clause that is among want, or 0.
func firstRank(got, want []int) int {
	for i, g := range got {
		if slices.Contains(want, g) {
			return i + 1
		}
	}
	return 0
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 1
	}
	return float64(n) / float64(d)
}

func median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// Format writes the report for a terminal.
func (r *Report) Format(w io.Writer, misses bool) {
	fmt.Fprintf(w, "cases %d (in scope %d, out of scope %d)\n", r.Cases, r.InScope, r.OutOfScope)
	fmt.Fprintf(w, "top-1 %.3f  recall@3 %.3f  MRR %.3f  facts %.3f  unstated said %.3f (%d)\n", r.Top1, r.Recall3, r.MRR, r.FactRate, r.UnstatedRate, r.Unstated)
	fmt.Fprintf(w, "out of scope refused %.3f  in scope refused %.3f\n", r.OOSRefused, r.InScopeRefused)
	fmt.Fprintf(w, "median reply %d characters  %.0f questions/s\n", r.MedianReply, r.QPS)
	if misses {
		for _, m := range r.Misses {
			fmt.Fprintf(w, "  miss: %s | want %v got %v (%s) %s\n", m.Q, m.Want, m.Got, m.Status, m.Why)
		}
	}
}
