package kb

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"

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
	fields   map[string]*fieldPostings // kind.field → its terms

	mu   sync.RWMutex
	docs []scoredDoc              // every entry a postings list named, by our number
	byID map[string]int32         // internal id → our number
	seen map[string]*termPostings // field + "\x00" + term → postings read
}

// fieldPostings is what one field of the index holds.
type fieldPostings struct {
	avgLen float64           // bleve's average field length (0: the field is empty)
	count  map[string]uint64 // term → entries that hold it
}

// termPostings are the entries holding a term in a field, with the part
// of bleve's score that depends on the entry alone.
type termPostings struct {
	idf   float64
	docs  []int32
	score []float64 // bleve's BM25 of the term in the entry, before boost and norm
}

// scoredDoc is an entry of the index as a search returns it.
type scoredDoc struct {
	internal []byte // bleve's internal id: ties go in its order, as in bleve
	match    Match
}

// newScorer reads the dictionaries of every field of the index.
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
	n, err := r.DocCount()
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("count index entries: %w", err)
	}
	s := &scorer{reader: r, docTotal: float64(n), fields: map[string]*fieldPostings{},
		byID: map[string]int32{}, seen: map[string]*termPostings{}}
	bm25, _ := r.(index.BM25Reader)
	for _, f := range fields {
		fp := &fieldPostings{count: map[string]uint64{}}
		if bm25 != nil && n > 0 {
			card, err := bm25.FieldCardinality(f)
			if err != nil {
				r.Close()
				return nil, fmt.Errorf("read length of field %s: %w", f, err)
			}
			fp.avgLen = math.Ceil(float64(card) / float64(n)) // as bleve's bm25ScoreMetrics
		}
		if err := s.readDict(f, fp); err != nil {
			r.Close()
			return nil, err
		}
		s.fields[f] = fp
	}
	return s, nil
}

// readDict notes every term of field f and how many entries hold it.
func (s *scorer) readDict(f string, fp *fieldPostings) error {
	dict, err := s.reader.FieldDict(f)
	if err != nil {
		return fmt.Errorf("read terms of %s: %w", f, err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("read terms of %s: %w", f, err)
		}
		if e == nil {
			return nil
		}
		fp.count[e.Term] = e.Count
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

// postings returns the entries holding term in field, reading them from
// the index the first time. A term the field lacks has none and is not
// kept, so questions cannot grow the cache beyond the index's dictionary.
func (s *scorer) postings(field string, fp *fieldPostings, term string) (*termPostings, error) {
	docTerm, ok := fp.count[term]
	if !ok {
		return &termPostings{idf: s.idf(fp, 0)}, nil
	}
	key := field + "\x00" + term
	s.mu.RLock()
	tp := s.seen[key]
	s.mu.RUnlock()
	if tp != nil {
		return tp, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if tp := s.seen[key]; tp != nil {
		return tp, nil
	}
	tfr, err := s.reader.TermFieldReader(context.Background(), []byte(term), field, true, true, false)
	if err != nil {
		return nil, fmt.Errorf("read postings of %q in %s: %w", term, field, err)
	}
	defer tfr.Close()
	tp = &termPostings{idf: s.idf(fp, docTerm)}
	var d index.TermFieldDoc
	for {
		next, err := tfr.Next(d.Reset())
		if err != nil {
			return nil, fmt.Errorf("read postings of %q in %s: %w", term, field, err)
		}
		if next == nil {
			break
		}
		doc, err := s.doc(next.ID)
		if err != nil {
			return nil, err
		}
		tp.docs = append(tp.docs, doc)
		tp.score = append(tp.score, s.termScore(fp, tp.idf, next))
	}
	s.seen[key] = tp
	return tp, nil
}

// termScore is bleve's TermQueryScorer.docScore.
func (s *scorer) termScore(fp *fieldPostings, idf float64, m *index.TermFieldDoc) float64 {
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

// doc numbers an entry the first time a postings list names it. Called
// with mu held.
func (s *scorer) doc(id index.IndexInternalID) (int32, error) {
	if n, ok := s.byID[string(id)]; ok {
		return n, nil
	}
	ext, err := s.reader.ExternalID(id)
	if err != nil {
		return 0, fmt.Errorf("read index entry id: %w", err)
	}
	m, err := parseID(ext)
	if err != nil {
		return 0, err
	}
	n := int32(len(s.docs))
	s.docs = append(s.docs, scoredDoc{internal: bytes.Clone(id), match: m})
	s.byID[string(id)] = n
	return n, nil
}

// clause is one term searched in one field, as bleve's TermSearcher.
type clause struct {
	p      *termPostings
	weight float64 // bleve's queryWeight: boost × idf × query norm
}

// search scores the entries of one kind holding any of the terms in any
// of the fields, as bleve's disjunction of term queries does, and returns
// the size best.
func (s *scorer) search(kind string, terms []Term, fields map[string]float64, size int) ([]Match, error) {
	clauses := make([]clause, 0, len(terms)*len(fields))
	var sumSq float64
	for f, fb := range fields {
		field := kind + "." + f
		fp := s.fields[field]
		if fp == nil {
			return nil, fmt.Errorf("search %s: the index has no field %s", kind, field)
		}
		for _, t := range terms {
			p, err := s.postings(field, fp, t.Text)
			if err != nil {
				return nil, err
			}
			boost := fb * t.Boost
			w := boost * p.idf
			sumSq += w * w
			clauses = append(clauses, clause{p: p, weight: boost})
		}
	}
	if len(clauses) == 0 {
		return nil, nil
	}
	norm := 1.0 / math.Sqrt(sumSq)
	type acc struct {
		sum float64
		n   int
	}
	found := map[int32]*acc{}
	for _, c := range clauses {
		w := c.weight * c.p.idf * norm
		for i, d := range c.p.docs {
			score := c.p.score[i]
			if w != 1.0 {
				score *= w
			}
			a := found[d]
			if a == nil {
				a = &acc{}
				found[d] = a
			}
			a.sum += score
			a.n++
		}
	}
	type hit struct {
		doc   int32
		score float64
	}
	hits := make([]hit, 0, len(found))
	for d, a := range found {
		hits = append(hits, hit{d, a.sum * (float64(a.n) / float64(len(clauses)))})
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	slices.SortFunc(hits, func(a, b hit) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return bytes.Compare(s.docs[a.doc].internal, s.docs[b.doc].internal)
	})
	out := make([]Match, 0, min(size, len(hits)))
	for _, h := range hits[:min(size, len(hits))] {
		m := s.docs[h.doc].match
		m.Score = h.score
		out = append(out, m)
	}
	return out, nil
}
