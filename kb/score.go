package kb

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2/search"
	blevescorer "github.com/blevesearch/bleve/v2/search/scorer"
	index "github.com/blevesearch/bleve_index_api"
)

// scorer answers Index.Search from the postings of the bleve index, read
// once per term and kept, with bleve's own BM25 arithmetic: the index never
// changes while it is open, so walking bleve's dictionaries, building a
// searcher per term and field and collecting through a heap for every
// question (nine tenths of a question's time) did the same work again and
// again. Scores are bleve's: each term's BM25 weighted by its boost and the
// query norm, summed, times the share of terms matched (bleve's coord), ties
// in the index's order; TestScorerIsBleve holds them to bleve's on every
// question of the evaluation sets.
type scorer struct {
	reader   index.IndexReader // a snapshot of the index, open as long as it is
	docTotal float64
	docs     []Match                   // every entry, numbered in the index's order
	byID     map[string]int32          // bleve's internal id → our number
	fields   map[string]*fieldPostings // kind.field → its terms
	load     sync.Mutex                // held while postings are read
	pool     sync.Pool                 // of *accumulator
}

// fieldPostings is what one field of the index holds; its map is fixed
// once the scorer is built.
type fieldPostings struct {
	name       string
	avgLen     float64                  // bleve's average field length (0: the field is empty)
	terms      map[string]*termPostings // every term of the field's dictionary
	missingIDF float64                  // the idf of a term the field lacks
}

// termPostings is a term of a field: how many entries hold it and, once
// read, which ones.
type termPostings struct {
	count uint64
	idf   float64
	list  atomic.Pointer[postingList]
}

// postingList holds the entries of a term, with the part of bleve's score
// that depends on the entry alone.
type postingList struct {
	docs  []int32
	score []float64 // bleve's BM25 of the term in the entry, before boost and norm
}

// newScorer numbers the entries of the index and reads the dictionaries of
// the fields.
func newScorer(b interface {
	Advanced() (index.Index, error)
}, fields []string) (*scorer, error) {
	adv, err := b.Advanced()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("open index reader: %w", err)
	}
	s := &scorer{reader: r, byID: map[string]int32{}, fields: map[string]*fieldPostings{}}
	if err := s.readDocs(); err != nil {
		r.Close()
		return nil, err
	}
	n, err := r.DocCount()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("count index entries: %w", err)
	}
	s.docTotal = float64(n)
	bm25, _ := r.(index.BM25Reader)
	for _, f := range fields {
		fp := &fieldPostings{name: f, terms: map[string]*termPostings{}}
		if bm25 != nil && n > 0 {
			card, err := bm25.FieldCardinality(f)
			if err != nil {
				r.Close()
				return nil, fmt.Errorf("read length of field %s: %w", f, err)
			}
			fp.avgLen = math.Ceil(float64(card) / float64(n)) // as bleve's bm25ScoreMetrics
		}
		fp.missingIDF = s.idf(fp, 0)
		if err := s.readDict(fp); err != nil {
			r.Close()
			return nil, err
		}
		s.fields[f] = fp
	}
	s.pool.New = func() any { return &accumulator{} }
	return s, nil
}

// readDocs numbers every entry in the index's own order, which is the
// order bleve breaks ties in.
func (s *scorer) readDocs() error {
	ids, err := s.reader.DocIDReaderAll()
	if err != nil {
		return fmt.Errorf("read index entries: %w", err)
	}
	defer ids.Close()
	for {
		id, err := ids.Next()
		if err != nil {
			return fmt.Errorf("read index entries: %w", err)
		}
		if id == nil {
			return nil
		}
		ext, err := s.reader.ExternalID(id)
		if err != nil {
			return fmt.Errorf("read index entry id: %w", err)
		}
		m, err := parseID(ext)
		if err != nil {
			return err
		}
		s.byID[string(id)] = int32(len(s.docs))
		s.docs = append(s.docs, m)
	}
}

// readDict notes every term of a field and how many entries hold it.
func (s *scorer) readDict(fp *fieldPostings) error {
	dict, err := s.reader.FieldDict(fp.name)
	if err != nil {
		return fmt.Errorf("read terms of %s: %w", fp.name, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("read terms of %s: %w", fp.name, err)
		}
		if e == nil {
			return nil
		}
		fp.terms[e.Term] = &termPostings{count: e.Count, idf: s.idf(fp, e.Count)}
	}
}

func (s *scorer) close() error { return s.reader.Close() }

// idf is bleve's inverse document frequency of a term held by docTerm
// entries: BM25's when the field has lengths, else TF-IDF's.
func (s *scorer) idf(fp *fieldPostings, docTerm uint64) float64 {
	if fp.avgLen > 0 {
		return math.Log(1 + (s.docTotal-float64(docTerm)+0.5)/(float64(docTerm)+0.5))
	}
	return 1.0 + math.Log(s.docTotal/float64(docTerm+1.0))
}

// postings returns the entries holding a term, reading them from the index
// the first time. Only terms of the dictionary are kept, so questions
// cannot grow what is kept beyond the index itself.
func (s *scorer) postings(fp *fieldPostings, tp *termPostings, term string) (*postingList, error) {
	if pl := tp.list.Load(); pl != nil {
		return pl, nil
	}
	s.load.Lock()
	defer s.load.Unlock()
	if pl := tp.list.Load(); pl != nil {
		return pl, nil
	}
	tfr, err := s.reader.TermFieldReader(context.Background(), []byte(term), fp.name, true, true, false)
	if err != nil {
		return nil, fmt.Errorf("read postings of %q in %s: %w", term, fp.name, err)
	}
	defer tfr.Close()
	pl := &postingList{}
	var d index.TermFieldDoc
	for {
		next, err := tfr.Next(d.Reset())
		if err != nil {
			return nil, fmt.Errorf("read postings of %q in %s: %w", term, fp.name, err)
		}
		if next == nil {
			break
		}
		n, ok := s.byID[string(next.ID)]
		if !ok {
			return nil, fmt.Errorf("read postings of %q in %s: an entry the index did not list", term, fp.name)
		}
		pl.docs = append(pl.docs, n)
		pl.score = append(pl.score, termScore(fp, tp.idf, next))
	}
	tp.list.Store(pl)
	return pl, nil
}

// termScore is bleve's TermQueryScorer.docScore.
func termScore(fp *fieldPostings, idf float64, m *index.TermFieldDoc) float64 {
	var tf float64
	if m.Freq < blevescorer.MaxSqrtCache {
		tf = blevescorer.SqrtCache[int(m.Freq)]
	} else {
		tf = math.Sqrt(float64(m.Freq))
	}
	if fp.avgLen > 0 {
		fieldLength := 1 / (m.Norm * m.Norm)
		return idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*fieldLength/fp.avgLen)))
	}
	return tf * m.Norm * idf
}

// accumulator gathers the scores of one search: a slot per entry of the
// index, reset after use for the entries touched.
type accumulator struct {
	sum     []float64
	matched []int32
	touched []int32
}

// searchClause is one term searched in one field, as bleve's TermSearcher.
type searchClause struct {
	p      *postingList
	weight float64 // boost × idf, then bleve's queryWeight once the norm is known
}

// search scores the entries of one kind holding any of the terms in any
// of the fields, as bleve's disjunction of term queries does, and returns
// the size best.
func (s *scorer) search(kind string, terms []Term, fields map[string]float64, size int) ([]Match, error) {
	clauses := make([]searchClause, 0, len(terms)*len(fields))
	var sumSq float64
	for f, fb := range fields {
		fp := s.fields[kind+"."+f]
		if fp == nil {
			return nil, fmt.Errorf("search %s: the index has no field %s", kind, f)
		}
		for _, t := range terms {
			boost := fb * t.Boost
			tp := fp.terms[t.Text]
			if tp == nil {
				w := boost * fp.missingIDF
				sumSq += w * w
				clauses = append(clauses, searchClause{})
				continue
			}
			p, err := s.postings(fp, tp, t.Text)
			if err != nil {
				return nil, err
			}
			w := boost * tp.idf
			sumSq += w * w
			clauses = append(clauses, searchClause{p: p, weight: w})
		}
	}
	if len(clauses) == 0 {
		return nil, nil
	}
	norm := 1.0 / math.Sqrt(sumSq)
	a := s.pool.Get().(*accumulator)
	defer s.pool.Put(a)
	if len(a.sum) < len(s.docs) {
		a.sum, a.matched = make([]float64, len(s.docs)), make([]int32, len(s.docs))
	}
	for _, c := range clauses {
		if c.p == nil {
			continue
		}
		w := c.weight * norm // boost × idf × norm, bleve's order of operations
		for i, d := range c.p.docs {
			score := c.p.score[i]
			if w != 1.0 {
				score *= w
			}
			if a.matched[d] == 0 {
				a.touched = append(a.touched, d)
			}
			a.sum[d] += score
			a.matched[d]++
		}
	}
	best := topHits{size: size}
	for _, d := range a.touched {
		best.offer(hit{d, a.sum[d] * (float64(a.matched[d]) / float64(len(clauses)))})
		a.sum[d], a.matched[d] = 0, 0
	}
	a.touched = a.touched[:0]
	hits := best.sorted()
	out := make([]Match, 0, len(hits))
	for _, h := range hits {
		m := s.docs[h.doc]
		m.Score = h.score
		out = append(out, m)
	}
	return out, nil
}

// hit is an entry found and its score.
type hit struct {
	doc   int32
	score float64
}

// before orders hits as bleve returns them: best score first, ties in the
// index's order.
func before(x, y hit) bool {
	if x.score != y.score {
		return x.score > y.score
	}
	return x.doc < y.doc
}

// topHits keeps the size best hits offered, in a heap whose root is the
// worst kept: with a thousand notices a common word is in tens of
// thousands of entries, and sorting them all to keep fifty was most of a
// search.
type topHits struct {
	size int
	heap []hit
}

func (t *topHits) offer(h hit) {
	if t.size <= 0 {
		return
	}
	if len(t.heap) < t.size {
		t.heap = append(t.heap, h)
		for i := len(t.heap) - 1; i > 0; { // up
			p := (i - 1) / 2
			if !before(t.heap[p], t.heap[i]) {
				break
			}
			t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
			i = p
		}
		return
	}
	if !before(h, t.heap[0]) {
		return
	}
	t.heap[0] = h
	for i := 0; ; { // down
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(t.heap) && before(t.heap[worst], t.heap[l]) {
			worst = l
		}
		if r < len(t.heap) && before(t.heap[worst], t.heap[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		t.heap[i], t.heap[worst] = t.heap[worst], t.heap[i]
		i = worst
	}
}

// sorted returns the hits kept, best first.
func (t *topHits) sorted() []hit {
	slices.SortFunc(t.heap, func(x, y hit) int {
		if before(x, y) {
			return -1
		}
		return 1
	})
	return t.heap
}
