package kb_test

import (
	"io/fs"
	"testing"

	"policybot/corpus"
	"policybot/kb"
	"policybot/kb/kbtest"
)

// BenchmarkParse parses the real notice from its PDF text.
func BenchmarkParse(b *testing.B) {
	c := loadReal(b)
	raw, err := fs.ReadFile(corpus.Embedded(), realID+".txt")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := kb.Parse(realID, string(raw), c.Vocabulary); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexBuild builds the index of the real corpus in memory.
func BenchmarkIndexBuild(b *testing.B) {
	c := loadReal(b)
	seg := newSegmenter(b, c)
	for b.Loop() {
		ix, err := kb.OpenIndex("", c, kb.AnalysisWords, seg)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkIndexBuild1000 builds the index of 1,000 generated notices.
func BenchmarkIndexBuild1000(b *testing.B) {
	fsys, err := kbtest.Generate(corpus.Embedded(), 1000)
	if err != nil {
		b.Fatal(err)
	}
	c, err := kb.Load(fsys)
	if err != nil {
		b.Fatal(err)
	}
	seg := newSegmenter(b, c)
	b.ResetTimer()
	for b.Loop() {
		ix, err := kb.OpenIndex("", c, kb.AnalysisWords, seg)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}
