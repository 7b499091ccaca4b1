package evaluation_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk" // registers the cjk analyzer
	index "github.com/blevesearch/bleve_index_api"

	"policybot/corpus"
	"policybot/evaluation"
	"policybot/kb"
)

// bigramBaseline ranks the notice's clauses for each question by plain BM25
// over character bigrams (bleve's cjk analyzer, the question an OR of its
// bigrams), with no tables, fields or scope: what anyone gets from a search
// engine over the notice. It answers every question; recall is counted over
// the in-scope ones, as policybot's is.
func bigramBaseline(t *testing.T, cs []evaluation.Case) *evaluation.Report {
	t.Helper()
	c, err := kb.Load(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	m := bleve.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	m.DefaultAnalyzer = "cjk"
	ix, err := bleve.New(filepath.Join(t.TempDir(), "baseline"), m)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, cl := range c.Docs[0].Clauses() {
		if err := ix.Index(strconv.Itoa(cl.Ordinal), map[string]string{"text": cl.Text()}); err != nil {
			t.Fatal(err)
		}
	}
	var in []evaluation.Case
	for _, q := range cs {
		if !q.OOS {
			in = append(in, q)
		}
	}
	ask := func(ctx context.Context, q string) (evaluation.Outcome, error) {
		mq := bleve.NewMatchQuery(q)
		mq.SetField("text")
		res, err := ix.SearchInContext(ctx, bleve.NewSearchRequestOptions(mq, 18, 0, false))
		if err != nil {
			return evaluation.Outcome{}, err
		}
		out := evaluation.Outcome{Status: "answered"}
		for _, h := range res.Hits {
			n, _ := strconv.Atoi(h.ID)
			out.Clauses = append(out.Clauses, n)
		}
		if len(out.Clauses) == 0 {
			out.Status = "no_answer"
		}
		return out, nil
	}
	rep, err := evaluation.Run(context.Background(), ask, in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// The baseline is a real ranker: a question in the notice's own words finds
// its clause first.
func TestBigramBaselineRanks(t *testing.T) {
	rep := bigramBaseline(t, []evaluation.Case{
		{Q: "一次性吸纳就业补贴", Clauses: []int{3}},
		{Q: "失业补助金", Clauses: []int{9}},
		{Q: "零工市场", Clauses: []int{13}},
	})
	if rep.Top1 != 1 {
		t.Errorf("baseline top-1 %.2f on the notice's own words: %v", rep.Top1, rep.Misses)
	}
}
