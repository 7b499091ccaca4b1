package openai

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"policybot/answers"
)

// Counters count what the model was asked and what came of it. They are a
// prometheus.Collector, for /metrics, and safe for concurrent use; the zero
// value is ready.
type Counters struct {
	calls    atomic.Int64
	used     atomic.Int64
	rejected atomic.Int64
	failures [len(kindIndex)]atomic.Int64
}

// kindIndex places each failure kind in Counters.failures.
var kindIndex = [...]FailureKind{Timeout, RateLimited, ServerError, ClientError, Transport, Malformed, Empty, Truncated, Paused, Canceled}

// Stats is a snapshot of Counters.
type Stats struct {
	Calls    int64                 // requests sent to the model
	Used     int64                 // phrased answers verified and sent
	Rejected int64                 // phrased answers that failed verification
	Failures map[FailureKind]int64 // calls that gave no usable text, by kind
}

// Stats returns the counts so far.
func (c *Counters) Stats() Stats {
	s := Stats{Calls: c.calls.Load(), Used: c.used.Load(), Rejected: c.rejected.Load(), Failures: map[FailureKind]int64{}}
	for i, k := range kindIndex {
		s.Failures[k] = c.failures[i].Load()
	}
	return s
}

// RecordPhrasing counts the outcome of a phrasing (answers.PhraseRecorder).
// Failures are counted where they happen, by kind.
func (c *Counters) RecordPhrasing(o answers.PhraseOutcome) {
	switch o {
	case answers.PhraseUsed:
		c.used.Add(1)
	case answers.PhraseRejected:
		c.rejected.Add(1)
	}
}

func (c *Counters) fail(k FailureKind) {
	for i, kind := range kindIndex {
		if kind == k {
			c.failures[i].Add(1)
			return
		}
	}
}

// The series Counters export.
var (
	callsDesc = prometheus.NewDesc("policybot_llm_calls_total",
		"Requests sent to the language model.", nil, nil)
	phrasingsDesc = prometheus.NewDesc("policybot_llm_phrasings_total",
		"Phrased answers by outcome: used (verified and sent) or rejected_by_verification (the quote was sent).",
		[]string{"outcome"}, nil)
	failuresDesc = prometheus.NewDesc("policybot_llm_failures_total",
		"Model calls that gave no usable text, by kind; paused counts calls not made during a cool-down.",
		[]string{"kind"}, nil)
)

// Describe sends the descriptors of the counters' series.
func (c *Counters) Describe(ch chan<- *prometheus.Desc) {
	ch <- callsDesc
	ch <- phrasingsDesc
	ch <- failuresDesc
}

// Collect sends the counts so far.
func (c *Counters) Collect(ch chan<- prometheus.Metric) {
	s := c.Stats()
	ch <- prometheus.MustNewConstMetric(callsDesc, prometheus.CounterValue, float64(s.Calls))
	ch <- prometheus.MustNewConstMetric(phrasingsDesc, prometheus.CounterValue, float64(s.Used), "used")
	ch <- prometheus.MustNewConstMetric(phrasingsDesc, prometheus.CounterValue, float64(s.Rejected), "rejected_by_verification")
	for _, k := range kindIndex {
		ch <- prometheus.MustNewConstMetric(failuresDesc, prometheus.CounterValue, float64(s.Failures[k]), string(k))
	}
}
