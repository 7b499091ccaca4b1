package kb

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/analyzer/custom" // registers the analyzers used below
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	_ "github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	_ "github.com/blevesearch/bleve/v2/analysis/tokenizer/whitespace"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// indexVersion changes whenever the index layout changes, so old indexes rebuild.
const indexVersion = "7"

// hashKey is where an index records the corpus and analysis it was built from.
var hashKey = []byte("policybot.corpus")

// Analysis names how text is cut into terms for the index.
type Analysis string

// The analyses policybot can index with; see README for how they compare.
const (
	AnalysisWords  Analysis = "gse" // words from the gse segmenter, with sub-words
	AnalysisBigram Analysis = "cjk" // bleve's cjk analyzer: overlapping character pairs
)

// Kinds of entries in the index.
const (
	KindClause   = "clause"
	KindSentence = "sentence"
)

// Index fields.
const (
	FieldTitle = "title" // the clause title
	FieldPart  = "part"  // the title of the part the clause is in
	FieldText  = "text"  // the clause body, or one sentence
	// The clause structure the notice's rules and vocabulary give, each a
	// field of its own so that it can weigh on its own.
	FieldBenefit = "benefit" // the names of the benefits it grants, Chinese and English (stemmed)
	FieldGroup   = "group"   // the groups of people and organisations it names
	FieldAmount  = "amount"  // the benefits whose amount it states, with the groups of their sentence
	// FieldChars is the text again as overlapping character pairs (bleve's
	// cjk analyzer), whatever the analysis: pairs meet words the segmenter
	// cut differently in the question and in the notice.
	FieldChars = "chars"
)

// Index is the bleve index of a corpus: one entry per clause and one per
// sentence, so an answer can point at a sentence as well as a clause.
type Index struct {
	bleve    bleve.Index
	analysis Analysis
	seg      *Segmenter
	Origin   string       // how it was opened: reused, built, or private and why
	private  *buildFolder // a folder of our own to remove on Close
	docFreq  map[string]uint64
	docs     uint64
	scorer   *scorer // answers Search from postings read once
}

// commonShare: a term found in more than this share of entries (就业 in a
// corpus of employment notices) hardly tells entries apart, yet costs a
// walk over most of the index.
const commonShare = 0.5

// Common reports whether a term is in so many clauses that searching for it
// is all cost and no information.
func (ix *Index) Common(term string) bool {
	return float64(ix.docFreq[term]) > commonShare*float64(ix.docs)
}

// ready prepares an opened index for searching: the clause counts of
// Common and the scorer's dictionaries.
func (ix *Index) ready(c *Corpus) error {
	if err := ix.countTerms(c); err != nil {
		return err
	}
	var fields []string
	for _, f := range []string{FieldTitle, FieldPart, FieldText, FieldBenefit, FieldGroup, FieldAmount, FieldChars} {
		fields = append(fields, KindClause+"."+f)
	}
	for _, f := range []string{FieldText, FieldBenefit, FieldGroup, FieldAmount, FieldChars} {
		fields = append(fields, KindSentence+"."+f)
	}
	s, err := newScorer(ix.bleve, fields)
	if err != nil {
		return err
	}
	ix.scorer = s
	return nil
}

// countTerms reads how many clauses hold each term.
func (ix *Index) countTerms(c *Corpus) error {
	var n uint64
	for _, d := range c.Docs {
		n += uint64(len(d.Clauses()))
	}
	dict, err := ix.bleve.FieldDict(KindClause + "." + FieldText)
	if err != nil {
		return fmt.Errorf("read index terms: %w", err)
	}
	defer dict.Close()
	ix.docs, ix.docFreq = n, map[string]uint64{}
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("read index terms: %w", err)
		}
		if e == nil {
			return nil
		}
		ix.docFreq[e.Term] = e.Count
	}
}

// Entries keep their fields under their kind (clause.text, sentence.text):
// a search walks only the postings of the kind it wants, with no filter to
// intersect, and each kind keeps its own BM25 statistics. Text fields hold
// words separated by spaces when the segmenter does the analysis.
type (
	clauseEntry struct {
		Clause clauseFields `json:"clause"`
	}
	clauseFields struct {
		Title   string `json:"title"`
		Part    string `json:"part"`
		Text    string `json:"text"`
		Benefit string `json:"benefit"`
		Group   string `json:"group"`
		Amount  string `json:"amount"`
		Chars   string `json:"chars"`
	}
	sentenceEntry struct {
		Sentence sentenceFields `json:"sentence"`
	}
	sentenceFields struct {
		Text    string `json:"text"`
		Benefit string `json:"benefit"`
		Group   string `json:"group"`
		Amount  string `json:"amount"`
		Chars   string `json:"chars"`
	}
	// structure is what the rules and the vocabulary say of some sentences.
	structure struct {
		Benefit string `json:"benefit"`
		Group   string `json:"group"`
		Amount  string `json:"amount"`
	}
)

// OpenIndex opens the index of corpus c in dir, building it when it is
// missing or was built from other content (corpus hash, analysis or layout).
// An empty dir builds a private index in a temporary folder, removed on
// Close. (Not bleve's memory-only index: it scores BM25 differently from
// an index read back from disk, and answers must not depend on where the
// index lives.) seg is required for AnalysisWords.
//
// Processes may start together on one folder: each builds in a folder of
// its own and the first to finish renames its build into dir under a lock;
// the others use that one, or their own build as a private copy when dir is
// held by another process. Build folders and private copies left by a
// process that died are removed here.
func OpenIndex(dir string, c *Corpus, a Analysis, seg *Segmenter) (*Index, error) {
	if a == AnalysisWords && seg == nil {
		return nil, errors.New("open index: word analysis needs a segmenter")
	}
	ix := &Index{analysis: a, seg: seg}
	removeOrphans(os.TempDir(), privatePattern)
	if dir == "" {
		if err := ix.buildPrivate(c, "private"); err != nil {
			return nil, err
		}
		return ix, ix.ready(c)
	}
	want := string(a) + ":" + indexVersion + ":" + c.Hash
	removeOrphans(filepath.Dir(dir), filepath.Base(dir)+buildingSuffix)
	switch found, err := ix.openExisting(dir, want, "2s"); {
	case err != nil:
		return nil, err
	case found == foundOpened:
		return ix, ix.ready(c)
	case found == foundInUse:
		// Another policybot process holds the index; a private copy answers
		// the same and takes well under a second to build.
		if err := ix.buildPrivate(c, "private: "+dir+" is in use by another process"); err != nil {
			return nil, err
		}
		return ix, ix.ready(c)
	}
	if err := ix.build(dir, c, want); err != nil {
		return nil, err
	}
	return ix, ix.ready(c)
}

// What openExisting found in an index folder.
type found int

const (
	foundNone   found = iota // missing, damaged or built from other content: build it
	foundOpened              // opened: built from this content
	foundInUse               // held open by another process
)

// openExisting opens the index in dir if it was built from the content
// want names, waiting at most wait for another process that holds it.
func (ix *Index) openExisting(dir, want, wait string) (found, error) {
	b, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": wait})
	switch {
	case err == nil:
		if got, _ := b.GetInternal(hashKey); string(got) == want {
			ix.bleve, ix.Origin = b, "reused "+dir
			return foundOpened, nil
		}
		b.Close()
	case errors.Is(err, bleve.ErrorIndexPathDoesNotExist), errors.Is(err, bleve.ErrorIndexMetaMissing):
	case strings.Contains(err.Error(), "timeout"):
		return foundInUse, nil
	default:
		// A damaged index is rebuilt rather than fatal: it holds nothing
		// that the corpus cannot give again.
	}
	return foundNone, nil
}

// buildPrivate builds the index in a temporary folder of its own.
func (ix *Index) buildPrivate(c *Corpus, origin string) error {
	b, err := newBuildFolder("", privatePattern)
	if err != nil {
		return err
	}
	if err := ix.fillFolder(b.index(), c, ""); err != nil {
		b.remove()
		return err
	}
	return ix.usePrivate(b, origin)
}

// usePrivate opens the index built in b as this process's own, removed on
// Close.
func (ix *Index) usePrivate(b *buildFolder, origin string) error {
	var err error
	if ix.bleve, err = bleve.Open(b.index()); err != nil {
		b.remove()
		return fmt.Errorf("open private index: %w", err)
	}
	ix.Origin, ix.private = origin, b
	return nil
}

// build builds the index in a folder of its own beside dir and renames it
// into dir under dir's lock, so a crash mid-build never leaves a half-built
// index in dir and two processes building at once do not meet. When another
// process put an index of the same content in place meanwhile, that one is
// used; when dir is held, the build is used as a private copy.
func (ix *Index) build(dir string, c *Corpus, want string) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create index folder: %w", err)
	}
	b, err := newBuildFolder(parent, filepath.Base(dir)+buildingSuffix)
	if err != nil {
		return err
	}
	if err := ix.fillFolder(b.index(), c, want); err != nil {
		b.remove()
		return err
	}
	lock, ok, err := lockPlace(dir)
	if err != nil {
		b.remove()
		return err
	}
	if !ok {
		return ix.usePrivate(b, "private: "+dir+" is being built by another process")
	}
	defer lock.Close()
	// Under the lock, an index held open is served by its process, which
	// will not let go soon: no point waiting long for it.
	switch found, err := ix.openExisting(dir, want, "100ms"); {
	case err != nil:
		b.remove()
		return err
	case found == foundOpened: // another process finished first
		return b.remove()
	case found == foundInUse:
		return ix.usePrivate(b, "private: "+dir+" is in use by another process")
	}
	if err := os.RemoveAll(dir); err != nil {
		b.remove()
		return fmt.Errorf("remove old index %s: %w", dir, err)
	}
	if err := os.Rename(b.index(), dir); err != nil {
		b.remove()
		return fmt.Errorf("move new index into %s: %w", dir, err)
	}
	b.remove()
	if ix.bleve, err = bleve.Open(dir); err != nil {
		return fmt.Errorf("open index %s: %w", dir, err)
	}
	ix.Origin = "built " + dir
	return nil
}

// fillFolder builds a complete index of c at path, recording want as the
// content it was built from, and closes it.
func (ix *Index) fillFolder(path string, c *Corpus, want string) error {
	m, err := ix.mapping()
	if err != nil {
		return err
	}
	b, err := bleve.New(path, m)
	if err != nil {
		return fmt.Errorf("create index %s: %w", path, err)
	}
	ix.bleve = b
	if err := ix.fill(c); err != nil {
		b.Close()
		return err
	}
	if err := b.SetInternal(hashKey, []byte(want)); err != nil {
		b.Close()
		return fmt.Errorf("record index hash: %w", err)
	}
	if err := b.Close(); err != nil {
		return fmt.Errorf("close new index: %w", err)
	}
	ix.bleve = nil
	return nil
}

// mapping declares the three text fields with the chosen analysis and keeps
// nothing else: the corpus in memory holds the text to show.
func (ix *Index) mapping() (mapping.IndexMapping, error) {
	m := bleve.NewIndexMapping()
	m.ScoringModel = index.BM25Scoring
	analyzer := string(AnalysisBigram)
	if ix.analysis == AnalysisWords {
		analyzer = "policybot_words"
		err := m.AddCustomAnalyzer(analyzer, map[string]any{
			"type":          "custom",
			"tokenizer":     "whitespace",
			"token_filters": []any{"to_lower"},
		})
		if err != nil {
			return nil, fmt.Errorf("declare word analyzer: %w", err)
		}
	}
	text := bleve.NewTextFieldMapping()
	text.Analyzer, text.Store, text.IncludeTermVectors = analyzer, false, false
	if err := m.AddCustomTokenFilter(charsFilter, map[string]any{"type": cjk.BigramName, "output_unigram": true}); err != nil {
		return nil, fmt.Errorf("declare character filter: %w", err)
	}
	err := m.AddCustomAnalyzer(charsAnalyzer, map[string]any{
		"type":          "custom",
		"tokenizer":     unicode.Name,
		"token_filters": []any{cjk.WidthName, "to_lower", charsFilter},
	})
	if err != nil {
		return nil, fmt.Errorf("declare character analyzer: %w", err)
	}
	chars := bleve.NewTextFieldMapping()
	chars.Analyzer, chars.Store, chars.IncludeTermVectors = charsAnalyzer, false, false
	clause := bleve.NewDocumentStaticMapping()
	for _, f := range []string{FieldTitle, FieldPart, FieldText, FieldBenefit, FieldGroup, FieldAmount} {
		clause.AddFieldMappingsAt(f, text)
	}
	clause.AddFieldMappingsAt(FieldChars, chars)
	sentence := bleve.NewDocumentStaticMapping()
	for _, f := range []string{FieldText, FieldBenefit, FieldGroup, FieldAmount} {
		sentence.AddFieldMappingsAt(f, text)
	}
	sentence.AddFieldMappingsAt(FieldChars, chars)
	doc := bleve.NewDocumentStaticMapping()
	doc.AddSubDocumentMapping(KindClause, clause)
	doc.AddSubDocumentMapping(KindSentence, sentence)
	m.DefaultMapping = doc
	return m, nil
}

// fill indexes every clause and sentence of the corpus in one batch.
func (ix *Index) fill(c *Corpus) error {
	batch := ix.bleve.NewBatch()
	for _, d := range c.Docs {
		for _, cl := range d.Clauses() {
			title, part := ix.prepare(cl.Title), ix.prepare(cl.PartTitle)
			body := make([]string, len(cl.Sentences))
			benefits := c.Benefits(cl.Ref())
			for i, s := range cl.Sentences {
				body[i] = ix.prepare(s.Text)
				st := ix.structure(benefits, cl.Sentences[i:i+1])
				e := sentenceEntry{Sentence: sentenceFields{Text: body[i], Benefit: st.Benefit, Group: st.Group, Amount: st.Amount, Chars: s.Text}}
				if err := batch.Index(sentenceID(cl.Ref(), i), e); err != nil {
					return fmt.Errorf("index sentence %d of clause %d: %w", i, cl.Ordinal, err)
				}
			}
			st := ix.structure(benefits, cl.Sentences)
			e := clauseEntry{Clause: clauseFields{Title: title, Part: part, Text: strings.Join(body, " "),
				Benefit: st.Benefit, Group: st.Group, Amount: st.Amount, Chars: cl.Text()}}
			if err := batch.Index(clauseID(cl.Ref()), e); err != nil {
				return fmt.Errorf("index clause %d of %s: %w", cl.Ordinal, d.ID, err)
			}
		}
	}
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	return nil
}

// structure is what the rules and the vocabulary say of sentences: the
// benefits granted in them, the groups they name, and the benefits whose
// amount they state with the groups of the sentence that states it.
func (ix *Index) structure(benefits []*Rule, sentences []Sentence) structure {
	var st structure
	var benefit, group, amount []string
	groups := func(s *Sentence) []string {
		var out []string
		for _, m := range s.Mentions {
			if m.Kind == Group {
				out = append(out, m.Text)
			}
		}
		return out
	}
	in := func(s *Sentence) bool {
		for i := range sentences {
			if &sentences[i] == s {
				return true
			}
		}
		return false
	}
	for i := range sentences {
		group = append(group, groups(&sentences[i])...)
	}
	for _, r := range benefits {
		if !in(r.Quote) {
			continue
		}
		name := ix.prepare(r.Core()) + " " + strings.Join(ix.seg.Stems(r.English), " ")
		benefit = append(benefit, name)
		if r.StatesAmount() {
			amount = append(amount, name, ix.prepare(strings.Join(groups(r.Quote), "，")))
		}
	}
	st.Benefit = strings.Join(benefit, " ")
	st.Group = ix.prepare(strings.Join(group, "，"))
	st.Amount = strings.Join(amount, " ")
	return st
}

// prepare turns text into what a field stores: words joined by spaces for
// the segmenter, the text itself for the bigram analyzer.
func (ix *Index) prepare(text string) string {
	if ix.analysis == AnalysisWords {
		return strings.Join(ix.seg.Words(text), " ")
	}
	return text
}

// Terms cuts a question into the terms the index holds, with the same
// analysis the index was built with, each weighted by how much of a whole
// word it is.
func (ix *Index) Terms(text string) []Term {
	if ix.analysis == AnalysisWords {
		return ix.seg.Terms(text)
	}
	a := ix.bleve.Mapping().AnalyzerNamed(string(AnalysisBigram))
	var out []Term
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, Term{Text: string(t.Term), Boost: 1})
	}
	return out
}

// TermsOfCut is Terms of text when the segmenter's Cut of it is known
// already: the index's analysis cuts it the same way.
func (ix *Index) TermsOfCut(text string, cut []string) []Term {
	if ix.analysis == AnalysisWords {
		return ix.seg.TermsOf(cut)
	}
	return ix.Terms(text)
}

// The analysis of the chars field: characters and their pairs, as Xapian
// indexes Chinese.
const (
	charsFilter   = "policybot_pairs_and_characters"
	charsAnalyzer = "policybot_chars"
)

// CharTerms cuts text into the characters and character pairs of the
// chars field.
func (ix *Index) CharTerms(text string) []Term {
	a := ix.bleve.Mapping().AnalyzerNamed(charsAnalyzer)
	var out []Term
	for _, t := range a.Analyze([]byte(text)) {
		out = append(out, Term{Text: string(t.Term), Boost: 1})
	}
	return out
}

// Term is one search term and how much it counts.
type Term struct {
	Text  string
	Boost float64
}

// Match is one entry found: a clause, or a sentence of it (Sentence ≥ 0).
type Match struct {
	Ref      ClauseRef
	Sentence int
	Score    float64
}

// Search finds entries of one kind that hold any of the terms, scored by
// BM25 with each field weighted by fields[name]: a disjunction of term
// queries, scored as bleve scores it (see scorer).
func (ix *Index) Search(ctx context.Context, kind string, terms []Term, fields map[string]float64, size int) ([]Match, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("search %s entries: %w", kind, err)
	}
	return ix.scorer.search(kind, terms, fields, size)
}

// searchBleve is Search through bleve's own query machinery: what the
// scorer must agree with.
func (ix *Index) searchBleve(ctx context.Context, kind string, terms []Term, fields map[string]float64, size int) ([]Match, error) {
	var should []query.Query
	for f, fb := range fields {
		for _, t := range terms {
			q := bleve.NewTermQuery(t.Text)
			q.SetField(kind + "." + f)
			q.SetBoost(fb * t.Boost)
			should = append(should, q)
		}
	}
	if len(should) == 0 {
		return nil, nil
	}
	q := bleve.NewDisjunctionQuery(should...)
	req := bleve.NewSearchRequestOptions(q, size, 0, false)
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search %s entries: %w", kind, err)
	}
	out := make([]Match, 0, len(res.Hits))
	for _, h := range res.Hits {
		m, err := parseID(h.ID)
		if err != nil {
			return nil, err
		}
		m.Score = h.Score
		out = append(out, m)
	}
	return out, nil
}

// Close releases the index, and removes it if it was private.
func (ix *Index) Close() error {
	var err error
	if ix.scorer != nil {
		err = ix.scorer.close()
	}
	if cerr := ix.bleve.Close(); err == nil {
		err = cerr
	}
	if ix.private != nil {
		if rmErr := ix.private.remove(); err == nil && rmErr != nil {
			err = fmt.Errorf("remove private index: %w", rmErr)
		}
	}
	return err
}

func clauseID(r ClauseRef) string { return r.Doc + "#" + strconv.Itoa(r.Clause) }

func sentenceID(r ClauseRef, i int) string { return clauseID(r) + "#" + strconv.Itoa(i) }

func parseID(id string) (Match, error) {
	parts := strings.Split(id, "#")
	if len(parts) < 2 || len(parts) > 3 {
		return Match{}, fmt.Errorf("index entry %q: malformed id", id)
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil {
		return Match{}, fmt.Errorf("index entry %q: %w", id, err)
	}
	m := Match{Ref: ClauseRef{Doc: parts[0], Clause: n}, Sentence: -1}
	if len(parts) == 3 {
		if m.Sentence, err = strconv.Atoi(parts[2]); err != nil {
			return Match{}, fmt.Errorf("index entry %q: %w", id, err)
		}
	}
	return m, nil
}
