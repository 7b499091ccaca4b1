package kb

import (
	"bufio"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"policybot/corpus"
)

// evaluationQuestions reads every question of the evaluation sets.
func evaluationQuestions(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../evaluation/testdata/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no evaluation sets: %v", err)
	}
	var qs []string
	for _, f := range files {
		file, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(file)
		for sc.Scan() {
			var line struct{ Q string }
			if json.Unmarshal(sc.Bytes(), &line) == nil && line.Q != "" {
				qs = append(qs, line.Q)
			}
		}
		file.Close()
	}
	return qs
}

// TestScorerIsBleve: the scorer finds what bleve's disjunction of term
// queries finds, with bleve's scores, for every question of the evaluation
// sets, in every field combination retrieval searches, for both analyses.
func TestScorerIsBleve(t *testing.T) {
	c, err := Load(corpus.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	seg, err := NewSegmenter(c.FS, c.Vocabulary.Groups)
	if err != nil {
		t.Fatal(err)
	}
	qs := evaluationQuestions(t)
	words := map[string]float64{FieldTitle: 1, FieldText: 1, FieldPart: 0.3, FieldBenefit: 0.6, FieldGroup: 0.6}
	withAmount := map[string]float64{FieldAmount: 1.5}
	for f, w := range words {
		withAmount[f] = w
	}
	sentence := map[string]float64{FieldText: 1, FieldBenefit: 0.6, FieldGroup: 0.6}
	sentenceAmount := map[string]float64{FieldText: 1, FieldBenefit: 0.6, FieldGroup: 0.6, FieldAmount: 1.5}
	chars := map[string]float64{FieldChars: 1}
	ctx := context.Background()
	for _, a := range []Analysis{AnalysisWords, AnalysisBigram} {
		ix, err := OpenIndex("", c, a, seg)
		if err != nil {
			t.Fatal(err)
		}
		defer ix.Close()
		compared := 0
		for _, q := range qs {
			terms, pairs := ix.Terms(q), ix.CharTerms(q)
			// Boosts as retrieval gives them: the tables' words count less.
			for i := range terms {
				if i%3 == 1 {
					terms[i].Boost = 0.45
				}
			}
			for _, s := range []struct {
				kind   string
				terms  []Term
				fields map[string]float64
				size   int
			}{
				{KindClause, terms, words, 50}, {KindClause, terms, withAmount, 50},
				{KindSentence, terms, sentence, 200}, {KindSentence, terms, sentenceAmount, 200},
				{KindClause, pairs, chars, 50}, {KindSentence, pairs, chars, 200},
				{KindClause, terms, words, 3},
			} {
				want, err := ix.searchBleve(ctx, s.kind, s.terms, s.fields, s.size)
				if err != nil {
					t.Fatal(err)
				}
				got, err := ix.Search(ctx, s.kind, s.terms, s.fields, s.size)
				if err != nil {
					t.Fatal(err)
				}
				if !sameMatches(got, want) {
					t.Errorf("%s: %q in %s %v:\n got %v\nwant %v", a, q, s.kind, s.fields, got, want)
				}
				compared++
			}
		}
		t.Logf("%s: %d searches of %d questions agree with bleve", a, compared, len(qs))
	}
}

// sameMatches reports whether two rankings agree: the same scores rank by
// rank (to the last bits a different order of summing leaves), and the
// same entries, except that entries of equal score may change places.
func sameMatches(got, want []Match) bool {
	if len(got) != len(want) {
		return false
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }
	scores := map[ClauseRef]map[int]float64{}
	for _, m := range want {
		if scores[m.Ref] == nil {
			scores[m.Ref] = map[int]float64{}
		}
		scores[m.Ref][m.Sentence] = m.Score
	}
	last := 0.0
	if len(want) > 0 {
		last = want[len(want)-1].Score
	}
	for i, m := range got {
		if !close(m.Score, want[i].Score) {
			return false
		}
		s, ok := scores[m.Ref][m.Sentence]
		if !ok && !close(m.Score, last) { // only a tie at the cut may bring in another entry
			return false
		}
		if ok && !close(s, m.Score) {
			return false
		}
	}
	return true
}
