package kb

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"unicode"

	"github.com/go-ego/gse"
)

// Files of the corpus that shape word segmentation.
const (
	SegmenterDictFile = "segmenter.dict" // general vocabulary: word, frequency, part of speech
	StopwordsFile     = "stopwords.tsv"  // words too common to search for
	domainWordFreq    = 20000            // frequency given to policy terms, so they win over splits
)

// Segmenter cuts Chinese text into words for indexing and search. It uses
// gse with a general dictionary plus the policy terms of the corpus.
type Segmenter struct {
	seg  gse.Segmenter
	stop map[string]bool
}

// NewSegmenter loads the segmenter's dictionary and stop words from the
// corpus and adds extra words (policy terms, synonyms) as whole words.
func NewSegmenter(fsys fs.FS, extra []string) (*Segmenter, error) {
	dict, err := fs.ReadFile(fsys, SegmenterDictFile)
	if err != nil {
		return nil, fmt.Errorf("load segmenter: %w", err)
	}
	s := &Segmenter{stop: map[string]bool{}}
	s.seg.SkipLog = true
	if err := s.seg.LoadDictStr(string(dict)); err != nil {
		return nil, fmt.Errorf("load segmenter dictionary: %w", err)
	}
	for _, w := range extra {
		if w = strings.TrimSpace(w); w != "" {
			if err := s.seg.AddToken(strings.ToLower(w), domainWordFreq, "n"); err != nil {
				return nil, fmt.Errorf("add %q to segmenter: %w", w, err)
			}
		}
	}
	if stop, err := fs.ReadFile(fsys, StopwordsFile); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(stop))
		for sc.Scan() {
			if w, _, _ := strings.Cut(sc.Text(), "\t"); w != "" && !strings.HasPrefix(w, "#") {
				s.stop[strings.TrimSpace(w)] = true
			}
		}
	}
	return s, nil
}

// Words cuts text into search words: each word, and for long words also
// the shorter words inside them (高校毕业生 → 高校, 毕业, 毕业生, 高校毕业生),
// so that a question's wording need not match the notice's exactly. Stop
// words, punctuation and spaces are dropped.
func (s *Segmenter) Words(text string) []string {
	var out []string
	for _, w := range s.seg.CutSearch(strings.ToLower(text), false) {
		if w = strings.TrimSpace(w); w == "" || s.stop[w] || !hasWordRune(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// Cut cuts text into words, longest match, without the sub-words Words
// adds: how a reader would split the sentence. Stop words and punctuation stay
// out.
func (s *Segmenter) Cut(text string) []string {
	var out []string
	for _, w := range s.seg.Cut(strings.ToLower(text), false) {
		if w = strings.TrimSpace(w); w == "" || s.stop[w] || !hasWordRune(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// IsStopword reports whether w is too common to search for.
func (s *Segmenter) IsStopword(w string) bool { return s.stop[w] }

func hasWordRune(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
