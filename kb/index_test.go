package kb_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"policybot/corpus"
	"policybot/kb"
)

func newSegmenter(t testing.TB, c *kb.Corpus) *kb.Segmenter {
	t.Helper()
	seg, err := kb.NewSegmenter(c.FS, c.Vocabulary.Groups)
	if err != nil {
		t.Fatal(err)
	}
	return seg
}

// TestIndexReusedAndRebuilt: the index on disk is reused across restarts
// and rebuilt when the corpus changes.
func TestIndexReusedAndRebuilt(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	c := loadReal(t)
	seg := newSegmenter(t, c)
	open := func(c *kb.Corpus, wantOrigin string) {
		t.Helper()
		ix, err := kb.OpenIndex(dir, c, kb.AnalysisWords, seg)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		if !strings.HasPrefix(ix.Origin, wantOrigin) {
			t.Errorf("origin %q, want %q", ix.Origin, wantOrigin)
		}
		got, err := ix.Search(context.Background(), kb.KindClause, ix.Terms("稳岗返还"), map[string]float64{kb.FieldText: 1}, 3)
		if err != nil || len(got) == 0 || got[0].Ref.Clause != 2 {
			t.Errorf("search 稳岗返还 = %v, %v; want clause 2 first", got, err)
		}
	}
	open(c, "built")
	open(c, "reused")

	changed := fstest.MapFS{}
	fs.WalkDir(c.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(c.FS, p)
			changed[p] = &fstest.MapFile{Data: data}
		}
		return nil
	})
	changed["stopwords.tsv"].Data = append(changed["stopwords.tsv"].Data, "\n新增\n"...)
	c2, err := kb.Load(changed)
	if err != nil {
		t.Fatal(err)
	}
	if c2.Hash == c.Hash {
		t.Fatal("corpus hash did not change with its content")
	}
	open(c2, "built")
}

// TestIndexInUse: a second process (here, a second open) that finds the
// index locked answers from a private index instead of waiting.
func TestIndexInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	c := loadReal(t)
	seg := newSegmenter(t, c)
	first, err := kb.OpenIndex(dir, c, kb.AnalysisWords, seg)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	second, err := kb.OpenIndex(dir, c, kb.AnalysisWords, seg)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if !strings.HasPrefix(second.Origin, "private") {
		t.Errorf("origin %q, want a private index", second.Origin)
	}
}

func TestIndexBigrams(t *testing.T) {
	c := loadReal(t)
	ix, err := kb.OpenIndex("", c, kb.AnalysisBigram, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	got, err := ix.Search(context.Background(), kb.KindSentence, ix.Terms("失业补助金"), map[string]float64{kb.FieldText: 1}, 3)
	if err != nil || len(got) == 0 || got[0].Ref.Clause != 9 || got[0].Sentence != 0 {
		t.Errorf("search 失业补助金 = %v, %v; want clause 9 sentence 0", got, err)
	}
}

func TestSegmenterWords(t *testing.T) {
	c := loadReal(t)
	seg := newSegmenter(t, c)
	// 离校2年内未就业高校毕业生 is a policy term (vocabulary) and stays whole;
	// its parts are searchable too.
	words := seg.Words("离校2年内未就业高校毕业生灵活就业")
	for _, w := range []string{"离校2年内未就业高校毕业生", "高校", "毕业生", "就业", "灵活"} {
		if !contains(words, w) {
			t.Errorf("Words = %v lacks %s", words, w)
		}
	}
	// Characters the dictionary cannot group are searchable in pairs.
	if got := seg.Words("转岗"); !contains(got, "转岗") {
		t.Errorf("Words(转岗) = %v lacks the pair 转岗", got)
	}
	if got := seg.Cut("我们公司的社保补贴"); contains(got, "的") || contains(got, "我们") {
		t.Errorf("Cut kept stop words: %v", got)
	}
	_ = corpus.Embedded
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
