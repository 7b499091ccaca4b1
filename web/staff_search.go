package web

import (
	"net/http"
	"slices"
	"strings"
	"unicode"

	"policybot/retrieval"
)

// searchHits is how many clauses a console search lists.
const searchHits = 8

// searchJSON is the answer of GET /staff/api/search.
type searchJSON struct {
	Query      string    `json:"query"`
	OutOfScope bool      `json:"out_of_scope"`
	Hits       []hitJSON `json:"hits"`
}

// hitJSON is a clause that matched: all of it, so the operator can read
// it in one click, with the matching sentences flagged and the query's
// words marked within them.
type hitJSON struct {
	Doc       string         `json:"doc"`
	DocTitle  string         `json:"doc_title"`
	Clause    int            `json:"clause"`
	Label     string         `json:"label"`
	Title     string         `json:"title"`
	Part      string         `json:"part"`
	Best      int            `json:"best"` // index in Sentences of the best match
	Sentences []sentenceJSON `json:"sentences"`
	// Later names the documents verified on a government page that the
	// policy update registry holds on the clause, newest first: the console
	// points to them (and to the leads beside them).
	Later []string `json:"later,omitempty"`
}

type sentenceJSON struct {
	Hit   bool       `json:"hit"`
	Parts []textPart `json:"parts"`
}

// textPart is a run of text, marked when it matches the query; the
// console renders runs as text, never as HTML.
type textPart struct {
	Text string `json:"text"`
	Mark bool   `json:"mark,omitempty"`
}

func (c *console) handleSearch(w http.ResponseWriter, r *http.Request) {
	if c.cfg.Search == nil {
		writeError(w, r, c.log, &apiError{Status: http.StatusServiceUnavailable, Message: "search is not set up on this server"})
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if err := retrieval.Validate(q); err != nil {
		writeError(w, r, c.log, badRequest(err.Error()))
		return
	}
	res, err := c.cfg.Search.Search(r.Context(), q, searchHits)
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	terms := append([]string{q, res.Question}, res.Anchors...)
	out := searchJSON{Query: q, OutOfScope: res.OutOfScope, Hits: []hitJSON{}}
	registries := c.cfg.Search.Corpus().Currency
	for _, h := range res.Hits {
		hj := hitOf(h, terms)
		if reg := registries[h.Clause.Doc]; reg != nil {
			for _, m := range reg.Clause(h.Clause.Ordinal) {
				if !m.Doc.Visible() {
					continue
				}
				name := m.Doc.Number
				if name == "" {
					name = m.Doc.Title
				}
				if !slices.Contains(hj.Later, name) {
					hj.Later = append(hj.Later, name)
				}
			}
		}
		out.Hits = append(out.Hits, hj)
	}
	writeJSON(w, http.StatusOK, out)
}

func hitOf(h retrieval.Hit, terms []string) hitJSON {
	cl := h.Clause
	out := hitJSON{Doc: cl.Doc, Clause: cl.Ordinal, Label: cl.Label, Title: cl.Title, Part: cl.PartTitle}
	if h.Doc != nil {
		out.DocTitle = h.Doc.Short
	}
	hit := map[int]bool{}
	for _, s := range h.Sentences {
		hit[s.Index] = true
	}
	for i, s := range cl.Sentences {
		sj := sentenceJSON{Hit: hit[s.Index], Parts: []textPart{{Text: s.Text}}}
		if sj.Hit { // words are marked where they matched, not all through the clause
			sj.Parts = markTerms(s.Text, terms)
		}
		out.Sentences = append(out.Sentences, sj)
		if len(h.Sentences) > 0 && s.Index == h.Sentences[0].Index {
			out.Best = i
		}
	}
	return out
}

// markTerms splits text into runs, marking every stretch of two or more
// letters that also occurs in one of the terms (the query as typed, as
// normalised, and its policy words). Without a segmenter this finds the
// query's words in the sentence, whatever its language.
func markTerms(text string, terms []string) []textPart {
	rs := []rune(text)
	folded := []rune(strings.ToLower(text))
	if len(folded) != len(rs) { // a case change that altered length: do without folding
		folded = rs
	}
	var pool []string
	for _, t := range terms {
		if t = strings.ToLower(t); t != "" {
			pool = append(pool, t)
		}
	}
	marked := make([]bool, len(rs))
	for i := 0; i < len(rs); {
		n := longestShared(folded[i:], pool)
		for k := range n {
			marked[i+k] = true
		}
		i += max(n, 1)
	}
	var out []textPart
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && marked[j] == marked[i] {
			j++
		}
		out = append(out, textPart{Text: string(rs[i:j]), Mark: marked[i]})
		i = j
	}
	return out
}

// longestShared is the length of the longest prefix of s, at least two
// letters or digits long, that occurs in one of the pool; zero if none.
func longestShared(s []rune, pool []string) int {
	best := 0
	for n := 2; n <= len(s); n++ {
		if !wordy(s[:n]) {
			break
		}
		part := string(s[:n])
		found := false
		for _, p := range pool {
			if strings.Contains(p, part) {
				found = true
				break
			}
		}
		if !found {
			break
		}
		best = n
	}
	return best
}

// wordy reports whether every rune is a letter or digit: marks never span
// punctuation.
func wordy(rs []rune) bool {
	for _, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
