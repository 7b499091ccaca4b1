package kb_test

import (
	"flag"
	"testing"

	"policybot/corpus"
	"policybot/kb"
)

var update = flag.Bool("update", false, "rewrite golden files")

const realID = "cq-2022-employment-measures"

// loadReal parses the embedded corpus, the notice exactly as published.
func loadReal(t testing.TB) *kb.Corpus {
	t.Helper()
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		t.Fatalf("load embedded corpus: %v", err)
	}
	return c
}

// loadSecond parses the test notice of our own beside the embedded tables.
func loadSecond(t testing.TB) *kb.Corpus {
	t.Helper()
	fsys, err := corpus.Open("testdata/second")
	if err != nil {
		t.Fatal(err)
	}
	c, err := kb.Load(fsys)
	if err != nil {
		t.Fatalf("load second notice: %v", err)
	}
	return c
}
