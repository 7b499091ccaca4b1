package retrieval

import (
	"context"
	"errors"
	"fmt"
	"index/suffixarray"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/zh"
)

// MaxQuestionRunes bounds a question; longer input is refused, not truncated.
const MaxQuestionRunes = 1000

// Errors for questions that cannot be searched.
var (
	ErrEmpty    = errors.New("the question is empty")
	ErrTooLong  = fmt.Errorf("the question is longer than %d characters", MaxQuestionRunes)
	ErrNotText  = errors.New("the question has no letters or digits")
	ErrBadUTF8  = errors.New("the question is not valid UTF-8 text")
	errNoCorpus = errors.New("retrieval has no corpus")
)

// Field weights: a clause's title says what it is about; its part title
// only hints. The benefits a clause grants and the groups it names count
// beside its words; the benefits whose amount it states count only for a
// question that asks how much (能拿多少, 补多少), and then most: what
// answers it is the clause that states an amount for what it names.
var (
	clauseFields = map[string]float64{kb.FieldTitle: 1, kb.FieldText: 1, kb.FieldPart: 0.3,
		kb.FieldBenefit: benefitWeight, kb.FieldGroup: groupWeight}
	sentenceFields = map[string]float64{kb.FieldText: 1, kb.FieldBenefit: benefitWeight, kb.FieldGroup: groupWeight}
)

const (
	benefitWeight = 0.6
	groupWeight   = 0.6
	amountWeight  = 1.5
	charsWeight   = 0.3
	// factWeight is how much of the best clause's score a clause gains when
	// a fact the question speaks of is one its rules read (see factWords).
	factWeight = 0.3
)

// withAmount adds the amount field to a set of field weights.
func withAmount(fields map[string]float64) map[string]float64 {
	out := map[string]float64{kb.FieldAmount: amountWeight}
	for f, w := range fields {
		out[f] = w
	}
	return out
}

// Weights of the evidence for a clause: its own score and its best sentence's.
const (
	sentenceWeight = 0.8
	expansionBoost = 0.9 // words from the tables count a little less than the user's own
)

// Retriever answers "which clauses and sentences say this?".
type Retriever struct {
	corpus     *kb.Corpus
	index      *kb.Index
	seg        *kb.Segmenter
	tables     *Tables
	folder     *zh.Folder
	scope      *scopeCheck
	vocab      map[string]bool    // every word of the corpus
	text       *suffixarray.Index // all clause text, to look words up in
	homophones *homophones
	starts     *starts
	// wordCache and pairCache keep the analysis of the words the tables, the
	// homophones and the starts put in a question's place: each is one of a
	// fixed set, analysed again for every question that needs it before.
	wordCache, pairCache termCache
	// benefitNames are how questions name each benefit.
	benefitNames map[*kb.Rule]benefitName
	facts        *factWords
}

// Hit is a clause that answers a question, with its sentences ranked.
type Hit struct {
	Clause    *kb.Clause
	Doc       *kb.Document
	Score     float64
	Sentences []SentenceHit // best first
}

// SentenceHit is a sentence of a hit and how well it matched.
type SentenceHit struct {
	Index int
	Score float64
}

// Result is what retrieval found for a question.
type Result struct {
	Question   string // as normalised
	Hits       []Hit  // best first; empty when out of scope
	OutOfScope bool
	Reason     string   // why it is out of scope, for logs and tests
	Place      string   // the other region it asks about, when that is why
	Anchors    []string // the question's policy words
	// Benefits are the benefits the question names, in its words or the
	// tables' (交通补贴 names 跨区域交通补助), or in English by most of
	// the words of their English name.
	Benefits []*kb.Rule
}

// New builds a retriever over a corpus and its index; seg cuts questions
// into words to measure how much of them the corpus knows.
func New(c *kb.Corpus, ix *kb.Index, seg *kb.Segmenter, t *Tables) (*Retriever, error) {
	if c == nil || ix == nil || t == nil || seg == nil {
		return nil, errNoCorpus
	}
	f, err := zh.NewFolder()
	if err != nil {
		return nil, err
	}
	r := &Retriever{corpus: c, index: ix, seg: seg, tables: t, folder: f, scope: newScopeCheck(t.Scope)}
	r.vocab = vocabulary(c, seg)
	var all strings.Builder
	for _, d := range c.Docs {
		for _, cl := range d.Clauses() {
			all.WriteString(cl.PartTitle + "。" + cl.Text() + "\n")
		}
	}
	r.text = suffixarray.New([]byte(strings.ToLower(all.String())))
	words := map[string]bool{}
	for w := range r.vocab {
		if seg.IsWord(w) {
			words[w] = true
		}
	}
	r.homophones = newHomophones(words)
	r.starts = newStarts(words)
	r.benefitNames = benefitNames(c, seg)
	r.facts = newFactWords(c, func(s string) string { return strings.ToLower(r.folder.Fold(s)) })
	return r, nil
}

// vocabulary collects every word and sub-word of the corpus's clauses.
func vocabulary(c *kb.Corpus, seg *kb.Segmenter) map[string]bool {
	v := map[string]bool{}
	for _, d := range c.Docs {
		for _, cl := range d.Clauses() {
			for _, w := range seg.Words(cl.PartTitle + "。" + cl.Text()) {
				v[w] = true
			}
		}
	}
	return v
}

// Validate checks that a question can be searched at all.
func Validate(q string) error {
	switch {
	case !utf8.ValidString(q):
		return ErrBadUTF8
	case strings.TrimSpace(q) == "":
		return ErrEmpty
	case utf8.RuneCountInString(q) > MaxQuestionRunes:
		return ErrTooLong
	case !hasContent(q):
		return ErrNotText
	}
	return nil
}

// Search finds the clauses that answer q, best first, at most limit.
func (r *Retriever) Search(ctx context.Context, q string, limit int) (*Result, error) {
	return r.SearchFor(ctx, q, limit, nil)
}

// SearchFor is Search for a question that asks for figures of the given
// kinds: asked for an amount (kb.Amount, kb.Percent …), a clause ranks
// higher for stating the amount of a benefit the question names.
func (r *Retriever) SearchFor(ctx context.Context, q string, limit int, asks []kb.MentionKind) (*Result, error) {
	if err := Validate(q); err != nil {
		return nil, err
	}
	norm := r.Normalize(q)
	res := &Result{Question: norm}
	if !hasContent(norm) {
		res.OutOfScope, res.Reason = true, "nothing to search"
		return res, nil
	}
	if reason := r.scope.offTopic(norm); reason != "" {
		res.OutOfScope, res.Reason = true, reason
		return res, nil
	}
	parsed := r.analyze(norm)
	hits, err := r.rank(ctx, parsed, asksAmount(asks))
	if err != nil {
		return nil, err
	}
	res.Anchors = parsed.anchors
	res.Benefits = r.named(parsed)
	hits = grantingFirst(hits, res.Benefits)
	if place := r.scope.otherPlace(norm); place != "" {
		res.OutOfScope, res.Place, res.Reason = true, place, "another place: "+place
		return res, nil
	}
	if reason := r.scope.weak(hits, parsed); reason != "" {
		res.OutOfScope, res.Reason = true, reason
		return res, nil
	}
	res.Hits = hits[:min(limit, len(hits))]
	return res, nil
}

// grantingFirst puts the clauses that grant a benefit the question names
// before the others, keeping the order within each: naming a benefit is
// the strongest evidence a question gives (一次性创业补贴具体发多少钱 is about
// clause 11, however well clause 3's 一次性吸纳就业补贴 matches 一次性 and 补贴).
func grantingFirst(hits []Hit, named []*kb.Rule) []Hit {
	if len(named) == 0 {
		return hits
	}
	grants := func(h Hit) bool {
		return slices.ContainsFunc(named, func(r *kb.Rule) bool { return r.Ref() == h.Clause.Ref() })
	}
	out := make([]Hit, 0, len(hits))
	for _, h := range hits {
		if grants(h) {
			out = append(out, h)
		}
	}
	for _, h := range hits {
		if !grants(h) {
			out = append(out, h)
		}
	}
	return out
}

// merge adds the scores of the same entries found by two searches, those
// of b weighed by w, best first.
func merge(a, b []kb.Match, w float64) []kb.Match {
	type key struct {
		ref      kb.ClauseRef
		sentence int
	}
	at := make(map[key]int, len(a)+len(b))
	out := make([]kb.Match, len(a), len(a)+len(b))
	copy(out, a)
	for i, m := range out {
		at[key{m.Ref, m.Sentence}] = i
	}
	for _, m := range b {
		m.Score *= w
		if i, ok := at[key{m.Ref, m.Sentence}]; ok {
			out[i].Score += m.Score
			continue
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(x, y kb.Match) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return 0
	})
	return out
}

// asksAmount reports whether figures asked for say what a benefit is worth.
func asksAmount(asks []kb.MentionKind) bool {
	for _, k := range asks {
		switch k {
		case kb.Amount, kb.Percent, kb.Ratio, kb.Rate:
			return true
		}
	}
	return false
}

// rank scores clauses by their own match plus their best sentence's match,
// so a clause wins by saying the thing in one sentence, not by mentioning
// its words across a long body.
func (r *Retriever) rank(ctx context.Context, q query, amount bool) ([]Hit, error) {
	cf, sf := clauseFields, sentenceFields
	if amount {
		cf, sf = withAmount(cf), withAmount(sf)
	}
	clauses, err := r.index.Search(ctx, kb.KindClause, q.terms, cf, 50)
	if err != nil {
		return nil, err
	}
	sentences, err := r.index.Search(ctx, kb.KindSentence, q.terms, sf, 200)
	if err != nil {
		return nil, err
	}
	// bleve normalises a query's weights, so the pairs are searched apart
	// and their scores weighed here.
	chars := map[string]float64{kb.FieldChars: 1}
	clauseChars, err := r.index.Search(ctx, kb.KindClause, q.chars, chars, 50)
	if err != nil {
		return nil, err
	}
	sentenceChars, err := r.index.Search(ctx, kb.KindSentence, q.chars, chars, 200)
	if err != nil {
		return nil, err
	}
	clauses = merge(clauses, clauseChars, charsWeight)
	sentences = merge(sentences, sentenceChars, charsWeight)
	byRef := make(map[kb.ClauseRef]*Hit, len(clauses))
	var hits []*Hit
	hit := func(ref kb.ClauseRef) *Hit {
		if h := byRef[ref]; h != nil {
			return h
		}
		cl := r.corpus.Clause(ref)
		if cl == nil {
			return nil
		}
		h := &Hit{Clause: cl, Doc: r.corpus.Doc(ref.Doc)}
		byRef[ref] = h
		hits = append(hits, h)
		return h
	}
	for _, m := range clauses {
		if h := hit(m.Ref); h != nil {
			h.Score += m.Score
		}
	}
	for _, m := range sentences {
		h := hit(m.Ref)
		if h == nil {
			continue
		}
		if len(h.Sentences) == 0 {
			h.Score += sentenceWeight * m.Score
		}
		h.Sentences = append(h.Sentences, SentenceHit{Index: m.Sentence, Score: m.Score})
	}
	if len(q.facts) > 0 && len(hits) > 0 {
		top := 0.0
		for _, h := range hits {
			top = max(top, h.Score)
		}
		for ref, share := range q.facts {
			if h := hit(ref); h != nil {
				h.Score += factWeight * top * share
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b *Hit) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return a.Clause.Ordinal - b.Clause.Ordinal
	})
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = *h
	}
	return out, nil
}
