package retrieval

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
	"github.com/goccy/go-yaml"
)

// Files of the corpus that retrieval reads.
const (
	SynonymsFile = "synonyms.tsv"
	GlossaryFile = "glossary-en.tsv"
	ScopeFile    = "scope.yaml"
)

// mapping rewrites a user's word to the notice's words.
type mapping struct {
	from  string
	to    []string
	stems []string // for English: the phrase's words, stemmed
}

// Tables are the data retrieval works from: synonyms, the English glossary
// and the scope list. They live in the corpus, not in code.
type Tables struct {
	Synonyms []mapping
	Glossary []mapping
	Scope    Scope
}

// Scope lists what the corpus does not cover, and how to tell a place asked
// about from a place someone goes to.
type Scope struct {
	Places     []string `yaml:"places"`
	Home       []string `yaml:"home"`        // the corpus's own region
	GoesTo     []string `yaml:"goes_to"`     // words before a place someone goes to or comes from
	WorksThere []string `yaml:"works_there"` // words after a place someone works in
	Topics     []string `yaml:"topics"`
	Injection  []string `yaml:"injection"`
}

// LoadTables reads the synonym table, glossary and scope list of a corpus.
func LoadTables(fsys fs.FS) (*Tables, error) {
	t := &Tables{}
	var err error
	if t.Synonyms, err = readMappings(fsys, SynonymsFile, false); err != nil {
		return nil, err
	}
	if t.Glossary, err = readMappings(fsys, GlossaryFile, true); err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, ScopeFile)
	if err != nil {
		return nil, fmt.Errorf("load scope: %w", err)
	}
	if err := yaml.UnmarshalWithOptions(data, &t.Scope, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("load scope: %w", err)
	}
	return t, nil
}

// readMappings reads a two-column TSV: a word, then the notice's words
// separated by |. Longer words come first so the most specific one wins.
func readMappings(fsys fs.FS, name string, words bool) ([]mapping, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", name, err)
	}
	var out []mapping
	defined := map[string]int{} // key → line that defined it
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		from, to, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(from) == "" || strings.TrimSpace(to) == "" {
			return nil, fmt.Errorf("load %s: line %d: want two tab-separated columns", name, n)
		}
		m := mapping{from: strings.ToLower(strings.TrimSpace(from)), to: strings.Split(strings.TrimSpace(to), "|")}
		key := m.from
		if words {
			for _, t := range latinWords(m.from) {
				m.stems = append(m.stems, t.stem)
			}
			key = strings.Join(m.stems, " ") // hiring and hire are one key
		}
		if first, ok := defined[key]; ok {
			return nil, fmt.Errorf("load %s: line %d: %q is defined already on line %d", name, n, m.from, first)
		}
		if !words && utf8.RuneCountInString(m.from) < 2 {
			return nil, fmt.Errorf("load %s: line %d: %q is a single character, too vague to stand for the notice's words", name, n, m.from)
		}
		defined[key] = n
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b mapping) int { return cmp.Compare(len(b.from), len(a.from)) })
	return out, nil
}

// Words lists every word of the tables, for the segmenter's dictionary.
func (t *Tables) Words() []string {
	var out []string
	for _, m := range t.Synonyms {
		out = append(out, m.from)
		out = append(out, m.to...)
	}
	for _, m := range t.Glossary {
		out = append(out, m.to...)
	}
	return out
}

// expansion is a stretch of a question that a table rewrote into the notice's words.
type expansion struct {
	start, end int
	to         []string
	boost      float64
	typo       bool // the stretch is a slip for the words in to
}

// expand finds the user's words in q that the tables know. A matched
// stretch is consumed, so 应届毕业生 does not also fire 毕业生.
func (t *Tables) expand(q string) []expansion {
	var out []expansion
	taken := make([]bool, len(q))
	free := func(s, e int) bool {
		for i := s; i < e; i++ {
			if taken[i] {
				return false
			}
		}
		return true
	}
	claim := func(s, e int, to []string) {
		for i := s; i < e; i++ {
			taken[i] = true
		}
		out = append(out, expansion{start: s, end: e, to: to, boost: expansionBoost})
	}
	for _, m := range t.Synonyms {
		for off := 0; off < len(q); {
			i := strings.Index(q[off:], m.from)
			if i < 0 {
				break
			}
			s, e := off+i, off+i+len(m.from)
			if free(s, e) {
				claim(s, e, m.to)
			}
			off = e
		}
	}
	words := latinWords(q)
	for _, m := range t.Glossary {
		for i := 0; i+len(m.stems) <= len(words); i++ {
			s, e := words[i].start, words[i+len(m.stems)-1].end
			if matchStems(words[i:], m.stems) && free(s, e) {
				claim(s, e, m.to)
			}
		}
	}
	return out
}

// latinWord is a word in Latin letters, its stem and where it stands.
type latinWord struct {
	stem       string
	start, end int
}

var latinWordPattern = regexp.MustCompile(`[a-z0-9]+(?:['-][a-z0-9]+)*`)

// latinWords splits the English words out of q, stemmed so that hiring
// meets hire and incubators meets incubator.
func latinWords(q string) []latinWord {
	var out []latinWord
	for _, loc := range latinWordPattern.FindAllStringIndex(strings.ToLower(q), -1) {
		w := strings.ToLower(q[loc[0]:loc[1]])
		out = append(out, latinWord{stem: porterstemmer.StemString(w), start: loc[0], end: loc[1]})
	}
	return out
}

func matchStems(words []latinWord, stems []string) bool {
	if len(words) < len(stems) {
		return false
	}
	for i, s := range stems {
		if words[i].stem != s {
			return false
		}
	}
	return true
}
