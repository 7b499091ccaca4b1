package retrieval

import (
	"fmt"

	"policybot/kb"
)

// Open loads the retrieval tables of a corpus, the segmenter (its
// dictionary extended with the corpus's policy terms and synonyms), and the
// index in dir ("" for memory), building it if the corpus changed.
func Open(c *kb.Corpus, dir string, a kb.Analysis) (*Retriever, error) {
	t, err := LoadTables(c.FS)
	if err != nil {
		return nil, err
	}
	// The segmenter measures questions whatever the index's analysis is.
	extra := append(append(t.Words(), c.Vocabulary.Groups...), c.Vocabulary.Deferrals...)
	seg, err := kb.NewSegmenter(c.FS, extra)
	if err != nil {
		return nil, err
	}
	ix, err := kb.OpenIndex(dir, c, a, seg)
	if err != nil {
		return nil, fmt.Errorf("open retrieval: %w", err)
	}
	r, err := New(c, ix, seg, t)
	if err != nil {
		ix.Close()
		return nil, err
	}
	return r, nil
}

// Origin says how the index was opened (reused, built, in memory).
func (r *Retriever) Origin() string { return r.index.Origin }

// Corpus is the knowledge base the retriever searches.
func (r *Retriever) Corpus() *kb.Corpus { return r.corpus }

// Close releases the index.
func (r *Retriever) Close() error { return r.index.Close() }
