package kb

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

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
	seg    gse.Segmenter
	stop   map[string]bool
	domain map[string]bool // the policy terms added to the dictionary
	// longest is the length in characters of the longest word of the
	// dictionary: no longer stretch of a word can be one, so inner looks
	// no further, and its cost grows with a word's length, not its square.
	longest int
}

// NewSegmenter loads the segmenter's dictionary and stop words from the
// corpus and adds extra words (policy terms, synonyms) as whole words.
func NewSegmenter(fsys fs.FS, extra []string) (*Segmenter, error) {
	dict, err := fs.ReadFile(fsys, SegmenterDictFile)
	if err != nil {
		return nil, fmt.Errorf("load segmenter: %w", err)
	}
	s := &Segmenter{stop: map[string]bool{}, domain: map[string]bool{}}
	s.seg.SkipLog = true
	if err := s.seg.LoadDictStr(string(dict)); err != nil {
		return nil, fmt.Errorf("load segmenter dictionary: %w", err)
	}
	s.longest = longestEntry(dict)
	for _, w := range extra {
		if w = strings.TrimSpace(w); w != "" {
			s.longest = max(s.longest, utf8.RuneCountInString(w))
			s.domain[strings.ToLower(w)] = true
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

// Weights of the parts of a word in a question: the word itself counts
// fully; the shorter words and pairs inside it help when the notice words
// things differently, but together they weigh no more than innerBudget, so
// a long word does not outvote a short one by having more parts.
const (
	innerBudget = 0.6
	innerWord   = 2.0 // a dictionary word inside counts this many pairs
	pairWeight  = 0.3 // pairs across characters the segmenter left single
)

// Words cuts text into search words: each word; inside longer words, the
// dictionary words and character pairs they contain (降低失业保险费率 →
// 失业保险, 保险费, 失业, 费率 …); and across runs of single characters the
// segmenter could not group (转 岗), their pairs (转岗). So the wording of a
// question need not match the notice's exactly. Stop words, punctuation and
// spaces are dropped.
func (s *Segmenter) Words(text string) []string {
	terms := s.Terms(text)
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Text
	}
	return out
}

// Terms is Words with a weight for each: 1 for whole words, less for the
// parts found inside them.
func (s *Segmenter) Terms(text string) []Term {
	return s.TermsOf(s.Cut(text))
}

// TermsOf is Terms of a text already cut (by Cut), so that a question is
// segmented once.
func (s *Segmenter) TermsOf(words []string) []Term {
	out := make([]Term, 0, 3*len(words))
	var run []rune // consecutive single Chinese characters
	flush := func() {
		for i := 0; i+1 < len(run); i++ {
			out = append(out, Term{Text: string(run[i : i+2]), Boost: pairWeight})
		}
		run = run[:0]
	}
	for _, w := range words {
		r := []rune(w)
		if len(r) == 1 && unicode.Is(unicode.Han, r[0]) {
			run = append(run, r[0])
			out = append(out, Term{Text: w, Boost: 1})
			continue
		}
		flush()
		out = append(out, Term{Text: w, Boost: 1})
		if len(r) > 2 {
			out = append(out, s.inner(r, s.inDict)...)
		}
	}
	flush()
	return out
}

// inner lists the character pairs of a long word and the longer dictionary
// words inside it. Only its runs of Chinese characters are looked into:
// the dictionary's words are Chinese, and a run of letters or digits, which
// can be as long as a message, has no parts worth searching. Within a run,
// stretches longer than the dictionary's longest word are not looked up,
// so a word of n characters costs at most n × longest lookups.
func (s *Segmenter) inner(r []rune, inDict func(string) bool) []Term {
	var out []Term
	total := 0.0
	whole := len(r)
	for start := 0; start < len(r); {
		if !unicode.Is(unicode.Han, r[start]) {
			start++
			continue
		}
		end := start
		for end < len(r) && unicode.Is(unicode.Han, r[end]) {
			end++
		}
		run := string(r[start:end])
		offs := runeOffsets(run)
		for n := 2; n < whole && n <= min(end-start, s.longest); n++ {
			for i := 0; i+n < len(offs); i++ {
				sub := run[offs[i]:offs[i+n]]
				switch {
				case inDict(sub):
					out = append(out, Term{Text: sub, Boost: innerWord})
					total += innerWord
				case n == 2:
					out = append(out, Term{Text: sub, Boost: 1})
					total++
				}
			}
		}
		start = end
	}
	for i := range out {
		out[i].Boost *= innerBudget / max(total, 1)
	}
	return out
}

// runeOffsets returns the byte offset of each character of s, and len(s).
func runeOffsets(s string) []int {
	offs := make([]int, 0, len(s)/3+1)
	for i := range s {
		offs = append(offs, i)
	}
	return append(offs, len(s))
}

// longestEntry is the length in characters of the longest word of a gse
// dictionary file (lines of word, frequency, part of speech).
func longestEntry(dict []byte) int {
	n := 0
	for line := range bytes.Lines(dict) {
		if w, _, _ := bytes.Cut(bytes.TrimSpace(line), []byte(" ")); len(w) > 0 {
			n = max(n, utf8.RuneCount(w))
		}
	}
	return n
}

// Freq is how often w occurs in general Chinese, by the segmenter's
// dictionary (0 for words it lacks). Policy terms added from the corpus
// count as rare whatever the dictionary says.
func (s *Segmenter) Freq(w string) float64 {
	if s.domain[w] {
		return 0
	}
	freq, _, _ := s.seg.Find(w)
	return freq
}

// IsWord reports whether w is a word: one of the dictionary's or a policy
// term of the corpus, not a pair of characters cut from inside one.
func (s *Segmenter) IsWord(w string) bool {
	return s.domain[w] || s.inDict(w)
}

func (s *Segmenter) inDict(w string) bool {
	freq, _, ok := s.seg.Find(w)
	return ok && freq > 0
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

func hasWordRune(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
