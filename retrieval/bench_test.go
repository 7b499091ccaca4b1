package retrieval_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSearch is one question end to end through retrieval.
func BenchmarkSearch(b *testing.B) {
	r := real(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.Search(ctx, "我们公司招了三个应届生有什么补贴", 5); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchHeldOut searches the in-scope questions of the held-out
// set one after another, as ../shared/peers/peers.py times Xapian and
// jieba over the same lines: per question, one core, in process.
func BenchmarkSearchHeldOut(b *testing.B) {
	r := real(b)
	f, err := os.Open("../evaluation/testdata/heldout.jsonl")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var line struct {
			Q       string
			Clauses []int
			OOS     bool
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			b.Fatal(err)
		}
		if len(line.Clauses) > 0 && !line.OOS { // the lines peers.py keeps
			qs = append(qs, line.Q)
		}
	}
	ctx := context.Background()
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		if _, err := r.Search(ctx, qs[i%len(qs)], 3); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "questions/s")
	// On a machine shared with other work, wall time says how busy it was;
	// the process's CPU time says what a question costs.
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/question")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
