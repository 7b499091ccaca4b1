package retrieval

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/kb"
)

// query is a question prepared for search.
type query struct {
	text    string
	terms   []kb.Term
	content float64 // weight of the words that carry meaning (not stop words, not bare numbers)
	covered float64 // of those, how much the corpus knows, directly or through the tables
	unknown []string
	anchors []string                 // policy words: known to the corpus and not everyday language
	facts   map[kb.ClauseRef]float64 // clauses whose rules read a fact the question speaks of
	rewrote []string                 // the notice's words the tables and homophones put in its place
	chars   []kb.Term                // character pairs, for the chars field
}

// singleCharWeight: a lone character the corpus does not know (俺, 钱, 租)
// is more often colloquial filler than a topic of its own.
const singleCharWeight = 0.5

// coverage is the share of the question's meaningful words the corpus knows.
func (q query) coverage() float64 {
	if q.content == 0 {
		return 0
	}
	return q.covered / q.content
}

// speaksOf reports whether a fact the question speaks of (被欠薪, 跑外卖) is
// one the rules of the best clause read: evidence it is about the notice,
// however few of its words the corpus knows.
func (q query) speaksOf(hits []Hit) bool {
	return len(hits) > 0 && q.facts[hits[0].Clause.Ref()] > 0
}

// analyze cuts a normalised question into weighted search terms (its own
// words, the tables' rewrites, homophone corrections) and measures how much
// of it the corpus knows.
func (r *Retriever) analyze(text string) query {
	q := query{text: text, facts: r.facts.clausesOf(text)}
	exps := r.tables.expand(text)
	cut := r.seg.Cut(text)
	exps = append(exps, r.homophones.find(text, cut, r.isWord, exps)...)
	q.terms = r.weigh(text, cut, append(exps, r.starts.find(text, cut, r.vocabWord, exps)...))
	for _, e := range exps {
		q.rewrote = append(q.rewrote, e.to...)
	}
	q.chars = r.charTerms(text, exps)
	at := 0
	q.anchors = append(q.anchors, r.runAnchors(cut)...)
	for _, w := range cut {
		i := strings.Index(text[at:], w)
		if i < 0 {
			continue
		}
		s, e := at+i, at+i+len(w)
		at = e
		if isNumber(w) {
			continue
		}
		weight := 1.0
		if utf8.RuneCountInString(w) == 1 {
			weight = singleCharWeight
		}
		q.content += weight
		known := r.knows(w) || overlaps(exps, s, e)
		if known && r.isAnchor(w, s, e, exps) {
			q.anchors = append(q.anchors, w)
		}
		if known {
			q.covered += weight
		} else {
			q.unknown = append(q.unknown, w)
		}
	}
	return q
}

// everydayFreq: words more frequent than this in general Chinese (工作,
// 问题, 政府) say little about which policy a question is about.
const everydayFreq = 10000

// isAnchor reports whether word w (at s:e) ties the question to the
// corpus: a word of two characters or more that the tables rewrote, or that
// the corpus uses and everyday language rarely does.
func (r *Retriever) isAnchor(w string, s, e int, exps []expansion) bool {
	if utf8.RuneCountInString(w) < 2 {
		return false
	}
	for _, x := range exps {
		if s < x.end && x.start < e && x.end-x.start > 3 {
			return true
		}
	}
	return r.knows(w) && r.seg.Freq(w) < everydayFreq
}

// runAnchors finds policy names the segmenter broke into single characters
// in the cut of the question
// (渝创渝新 → 渝 创 渝 新): runs of Chinese characters that the corpus prints
// as they are and everyday language lacks.
func (r *Retriever) runAnchors(cut []string) []string {
	var out []string
	var run []string
	flush := func() {
		if len(run) > 1 {
			if w := strings.Join(run, ""); r.knows(w) && r.seg.Freq(w) == 0 {
				out = append(out, w)
			}
		}
		run = run[:0]
	}
	for _, w := range cut {
		if utf8.RuneCountInString(w) == 1 && allHan(w) {
			run = append(run, w)
			continue
		}
		flush()
	}
	flush()
	return out
}

// isWord reports whether w is a word already: one the corpus uses or one of
// everyday language (简历 is a word, not a slip for 建立).
func (r *Retriever) isWord(w string) bool {
	return r.knows(w) || r.seg.Freq(w) > 0
}

// vocabWord reports whether w is one of the corpus's words.
func (r *Retriever) vocabWord(w string) bool { return r.vocab[w] }

// knows reports whether the corpus uses word w: as one of its words, or
// for words of two characters or more, anywhere in its text.
func (r *Retriever) knows(w string) bool {
	return r.vocab[w] || (utf8.RuneCountInString(w) > 1 && len(r.text.Lookup([]byte(w), 1)) > 0)
}

// weigh turns the question and its expansions into index terms, each with
// the highest weight any source gave it.
func (r *Retriever) weigh(text string, cut []string, exps []expansion) []kb.Term {
	weights := map[string]float64{}
	var order []string
	addTerms := func(terms []kb.Term, boost float64) {
		for _, t := range terms {
			if _, seen := weights[t.Text]; !seen {
				order = append(order, t.Text)
			}
			weights[t.Text] = max(weights[t.Text], boost*t.Boost)
		}
	}
	add := func(s string, boost float64) { addTerms(r.wordCache.of(s, r.index.Terms), boost) }
	if own := withoutTypos(text, exps); own == text {
		addTerms(r.index.TermsOfCut(text, cut), 1) // the question is cut once
	} else {
		addTerms(r.index.Terms(own), 1)
	}
	// English words meet the English names of the benefits, stemmed.
	for _, st := range r.seg.Stems(text) {
		if _, seen := weights[st]; !seen {
			order = append(order, st)
		}
		weights[st] = max(weights[st], 1)
	}
	for _, e := range exps {
		// Alternatives share a mapping's weight, so a vague word with many
		// renderings (support → 扶持|支持|帮扶) does not outweigh a precise one.
		for _, to := range e.to {
			add(to, e.boost/float64(len(e.to)))
		}
	}
	out := make([]kb.Term, 0, len(order))
	for _, w := range order {
		if !r.index.Common(w) {
			out = append(out, kb.Term{Text: w, Boost: weights[w]})
		}
	}
	if len(out) == 0 { // a question of common words only still gets searched
		for _, w := range order {
			out = append(out, kb.Term{Text: w, Boost: weights[w]})
		}
	}
	return out
}

// charTerms are the character pairs of the question as written (slips
// blanked) and of what the tables rewrote it to, each with the highest
// weight any source gave it.
func (r *Retriever) charTerms(text string, exps []expansion) []kb.Term {
	weights := map[string]float64{}
	var order []string
	addTerms := func(terms []kb.Term, boost float64) {
		for _, t := range terms {
			if _, seen := weights[t.Text]; !seen {
				order = append(order, t.Text)
			}
			weights[t.Text] = max(weights[t.Text], boost)
		}
	}
	addTerms(r.index.CharTerms(withoutTypos(text, exps)), 1)
	for _, e := range exps {
		for _, to := range e.to {
			addTerms(r.pairCache.of(to, r.index.CharTerms), e.boost/float64(len(e.to)))
		}
	}
	out := make([]kb.Term, 0, len(order))
	for _, w := range order {
		out = append(out, kb.Term{Text: w, Boost: weights[w]})
	}
	return out
}

// withoutTypos blanks the stretches of text that homophone correction
// replaced: 创页 is searched as 创业, not as 创 and 页.
func withoutTypos(text string, exps []expansion) string {
	b := []byte(text)
	for _, e := range exps {
		if e.typo {
			for i := e.start; i < e.end; i++ {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' && r != '%' {
			return false
		}
	}
	return true
}
