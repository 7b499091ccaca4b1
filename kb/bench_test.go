package kb_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"policybot/corpus"
	"policybot/kb"
)

// BenchmarkParse parses the real notice from its PDF text.
func BenchmarkParse(b *testing.B) {
	c := loadReal(b)
	raw, _ := corpus.Embedded().(interface {
		ReadFile(string) ([]byte, error)
	}).ReadFile(realID + ".txt")
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

// GeneratedCorpus returns n notices made from the real one: each keeps the
// structure and mixes the real clauses' sentences, so the index grows as a
// real collection of notices would.
func GeneratedCorpus(tb testing.TB, n int) *kb.Corpus {
	tb.Helper()
	real := loadReal(tb)
	d := real.Doc(realID)
	clauses := d.Clauses()
	files := fstest.MapFS{}
	for _, name := range []string{"vocabulary.yaml", "segmenter.dict", "stopwords.tsv", "synonyms.tsv", "glossary-en.tsv", "scope.yaml", "replies.yaml"} {
		data, err := corpusFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: data}
	}
	for i := range n {
		var sb strings.Builder
		fmt.Fprintf(&sb, "重庆市第%d区人力资源和社会保障局关于就业工作若干措施的通知\n\n", i)
		for p := range 3 {
			fmt.Fprintf(&sb, "%s、第%d部分\n\n", []string{"一", "二", "三"}[p], p+1)
			for k := range 6 {
				src := clauses[(i*7+p*6+k)%len(clauses)]
				fmt.Fprintf(&sb, "（%s）%s。", numerals[p*6+k], src.Title)
				for j, s := range src.Sentences {
					sb.WriteString(clauses[(i+j+k)%len(clauses)].Sentences[0].Text)
					_ = s
				}
				sb.WriteString("\n\n")
			}
		}
		id := fmt.Sprintf("gen-%04d", i)
		files[id+".txt"] = &fstest.MapFile{Data: []byte(sb.String())}
		files[id+".meta.yaml"] = &fstest.MapFile{Data: []byte("id: " + id + "\n")}
	}
	c, err := kb.Load(files)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八"}

func corpusFile(name string) ([]byte, error) {
	return corpus.Embedded().(interface {
		ReadFile(string) ([]byte, error)
	}).ReadFile(name)
}

// BenchmarkIndexBuild1000 builds the index of 1,000 generated notices.
func BenchmarkIndexBuild1000(b *testing.B) {
	c := GeneratedCorpus(b, 1000)
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
