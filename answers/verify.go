package answers

import (
	"fmt"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/kb"
	"policybot/zh"
)

// Limits of what verification accepts.
const (
	// DefaultMaxRunes bounds a phrased answer: longer than a phone screen is
	// not a rephrasing of three sentences.
	DefaultMaxRunes = 400
	// minBigrams is how many Chinese character pairs a sentence needs before
	// its wording is compared with its sources; shorter ones ("此外[2]。") say
	// too little to judge.
	minBigrams = 8
	// minOverlap is the share of a Chinese sentence's character pairs that
	// must come from its cited sources. A paraphrase keeps the notice's
	// terms (吸纳, 应届高校毕业生, 补贴); role-play and echoed instructions
	// do not.
	minOverlap = 0.2
	// minEnglishWords is how many words an English sentence needs before
	// it must name, in the glossary's words, something its sources say.
	minEnglishWords = 5
)

// encoded is a run of letters and digits too long for a word: base64 or
// hex, which could carry anything past a reader's eye.
var encoded = regexp.MustCompile(`[A-Za-z0-9+/=_\-]{24,}`)

// Rejection says why a phrased answer, or one sentence of it, was not used.
type Rejection struct {
	Reason   string // what failed: a figure, a citation, the prompt echoed …
	Sentence string // the sentence that failed, if one did
}

func (r *Rejection) Error() string {
	if r.Sentence == "" {
		return r.Reason
	}
	return fmt.Sprintf("%s in %q", r.Reason, r.Sentence)
}

// Verifier checks a phrased answer against the sources it was given: it
// cites only sources it was given; every figure in it (amounts,
// percentages, ratios, durations, dates, years, clause numbers …, in
// Chinese or English) is stated by the sources it cites; each sentence
// speaks of what its sources say (Chinese ones share their wording, English
// ones name, in glossary terms, something in them); it carries no encoded
// text, does not echo the prompts and fits a phone screen. It is safe for
// concurrent use.
type Verifier struct {
	reader   figureReader
	prompts  *Prompts
	glossary glossary
	maxRunes int
}

// LoadVerifier reads what verification needs from a corpus: the prompts,
// which an answer must not echo, and the English glossary.
func LoadVerifier(fsys fs.FS) (*Verifier, error) {
	p, err := LoadPrompts(fsys)
	if err != nil {
		return nil, err
	}
	g, err := loadGlossary(fsys)
	if err != nil {
		return nil, err
	}
	f, err := zh.NewFolder()
	if err != nil {
		return nil, fmt.Errorf("load verifier: %w", err)
	}
	return &Verifier{reader: figureReader{folder: f}, prompts: p, glossary: g, maxRunes: DefaultMaxRunes}, nil
}

// Prompts are the prompts the verifier holds answers to; a model adapter
// asks with them.
func (v *Verifier) Prompts() *Prompts { return v.prompts }

// Verify checks a phrased answer and returns it as the user should read it,
// without the [n] marks; the error is a *Rejection.
func (v *Verifier) Verify(p Phrased, req PhraseRequest) (string, error) {
	for _, n := range p.Cited {
		if n < 1 || n > len(req.Sources) {
			return "", &Rejection{Reason: fmt.Sprintf("cites source [%d], which was not given", n)}
		}
	}
	g := v.newGate(req)
	shown := strings.Join(append(g.feed(p.Text), g.close()...), "")
	if g.err != nil {
		return "", g.err
	}
	return shown, nil
}

// gate passes a phrased answer on sentence by sentence, as it is written,
// and only once each sentence is verified. Sentences before the first
// citation wait for it; after a rejection it passes nothing more.
type gate struct {
	v       *Verifier
	req     PhraseRequest
	sources []*grounds // by source number - 1
	asked   map[float64]bool
	pending string          // text not yet cut into sentences
	waiting []string        // sentences waiting for a citation
	blank   string          // blank text held until more text follows
	cited   map[int]bool    // sources cited so far
	passed  strings.Builder // what has passed, for the echo and length checks
	runes   int
	err     error
}

func (v *Verifier) newGate(req PhraseRequest) *gate {
	g := &gate{v: v, req: req, cited: map[int]bool{}, asked: map[float64]bool{}}
	for _, s := range req.Sources {
		gr := newGrounds()
		gr.add(v.reader, s)
		g.sources = append(g.sources, gr)
	}
	// People the user says they have may be repeated ("您招用的3名应届生");
	// nothing else from the question counts as a source.
	for _, f := range v.reader.figures(req.Question) {
		if f.Kind == kb.Count {
			g.asked[key(f.Value)] = true
		}
	}
	return g
}

// feed takes more of the answer and returns the sentences that are complete
// and verified, marks removed. After a rejection (g.err) it returns only the
// sentences verified before it.
func (g *gate) feed(text string) []string {
	if g.err != nil {
		return nil
	}
	g.pending += text
	var out []string
	for {
		s, rest, ok := cutSentence(g.pending, false)
		if !ok {
			return out
		}
		g.pending = rest
		out = append(out, g.sentence(s)...)
		if g.err != nil {
			return out
		}
	}
}

// close verifies what is left once the answer is complete.
func (g *gate) close() []string {
	if g.err != nil {
		return nil
	}
	var out []string
	for g.pending != "" {
		s, rest, _ := cutSentence(g.pending, true)
		g.pending = rest
		out = append(out, g.sentence(s)...)
		if g.err != nil {
			return out
		}
	}
	if len(g.cited) == 0 {
		g.err = &Rejection{Reason: "cites no source"}
		return nil
	}
	return out
}

// sentence verifies one complete sentence, with any that waited for it.
// Sentences that waited stand or fall with the one that cites for them, so
// "Sure!" never goes out ahead of a claim that fails.
func (g *gate) sentence(s string) []string {
	nums, err := g.citations(s)
	if err != nil {
		g.err = err
		return nil
	}
	if len(nums) == 0 && len(g.cited) == 0 {
		g.waiting = append(g.waiting, s)
		return nil
	}
	for _, n := range nums {
		g.cited[n] = true
	}
	if len(nums) == 0 {
		for n := range g.cited {
			nums = append(nums, n)
		}
	}
	gr := g.ground(nums)
	batch := append(g.waiting, s)
	g.waiting = nil
	for _, t := range batch {
		if err := g.check(t, gr); err != nil {
			g.err = err
			return nil
		}
	}
	return g.pass(batch)
}

// pass records verified sentences and returns them as shown. Blank ones
// are held until text follows them, so a reply neither starts nor ends
// with empty lines.
func (g *gate) pass(batch []string) []string {
	var shown strings.Builder
	for _, t := range batch {
		t = stripMarks(t)
		if strings.TrimSpace(t) == "" {
			g.blank += t
			continue
		}
		if g.passed.Len() == 0 && shown.Len() == 0 {
			t, g.blank = strings.TrimLeft(t, " \t\n"), ""
		}
		shown.WriteString(g.blank + t)
		g.blank = ""
	}
	if shown.Len() == 0 {
		return nil
	}
	text := shown.String()
	if g.runes += utf8.RuneCountInString(text); g.runes > g.v.maxRunes {
		g.err = &Rejection{Reason: fmt.Sprintf("longer than %d characters", g.v.maxRunes)}
		return nil
	}
	if g.v.prompts.Echoes(g.passed.String() + text) {
		g.err = &Rejection{Reason: "echoes the prompt", Sentence: strings.TrimSpace(text)}
		return nil
	}
	g.passed.WriteString(text)
	return []string{text}
}

// ground merges the grounds of the sources numbered nums, with the people
// the question counted.
func (g *gate) ground(nums []int) *grounds {
	out := newGrounds()
	for _, n := range nums {
		out.merge(g.sources[n-1])
	}
	for v := range g.asked {
		out.people[v] = true
	}
	return out
}

// check verifies one sentence against the grounds of its citations.
func (g *gate) check(s string, gr *grounds) *Rejection {
	body := strings.TrimSpace(stripMarks(s))
	if g.v.prompts.IsNotStated(body) {
		return nil
	}
	if strings.ContainsAny(body, "<>‹›") {
		return &Rejection{Reason: "contains markup or prompt tags", Sentence: body}
	}
	if blob := encoded.FindString(body); blob != "" {
		return &Rejection{Reason: fmt.Sprintf("encoded text %.12q…", blob), Sentence: body}
	}
	for _, f := range g.v.reader.figures(body) {
		if !gr.supports(f) {
			return &Rejection{Reason: fmt.Sprintf("%s %q is not in the cited sources", f.Kind, strings.TrimSpace(f.Text)), Sentence: body}
		}
	}
	pairs := hanBigrams(g.v.reader.folder.Fold(body))
	if len(pairs) >= minBigrams {
		found := 0
		for p := range pairs {
			if gr.bigrams[p] {
				found++
			}
		}
		if share := float64(found) / float64(len(pairs)); share < minOverlap {
			return &Rejection{Reason: fmt.Sprintf("wording not from the cited sources (%.0f%% shared)", share*100), Sentence: body}
		}
	}
	if words := latinWords(strings.ToLower(body)); len(words) >= minEnglishWords && !g.v.glossary.grounded(words, gr.text) {
		return &Rejection{Reason: "names nothing the cited sources say", Sentence: body}
	}
	return nil
}

// citations reads the [n] marks of a sentence and checks each was given.
func (g *gate) citations(s string) ([]int, *Rejection) {
	nums := CitedSources(s)
	for _, n := range nums {
		if n < 1 || n > len(g.sources) {
			return nil, &Rejection{Reason: fmt.Sprintf("cites source [%d], which was not given", n), Sentence: stripMarks(s)}
		}
	}
	return nums, nil
}

var (
	// citeMark is a citation as the prompt asks for it, [1] or [1, 2], and
	// the forms models drift into: 【1】, ［1］, [1-3].
	citeMark = regexp.MustCompile(`\s*[\[【［]\s*(\d+(?:\s*[,，、\-–]\s*\d+)*)\s*[\]】］]`)
	citeNums = regexp.MustCompile(`\d+|[\-–]`)
)

// CitedSources lists the source numbers a phrased text cites with [n]
// marks, in order of first citation.
func CitedSources(text string) []int {
	var out []int
	seen := map[int]bool{}
	add := func(n int) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, m := range citeMark.FindAllStringSubmatch(text, -1) {
		parts := citeNums.FindAllString(m[1], -1)
		for i := 0; i < len(parts); i++ {
			if parts[i] == "-" || parts[i] == "–" {
				continue
			}
			n, _ := strconv.Atoi(parts[i])
			if i+2 < len(parts) && (parts[i+1] == "-" || parts[i+1] == "–") {
				hi, _ := strconv.Atoi(parts[i+2])
				for k := n; k <= hi && k-n < 20; k++ {
					add(k)
				}
				i += 2
				continue
			}
			add(n)
		}
	}
	return out
}

// stripMarks removes the [n] marks: the reply shows its citations apart.
func stripMarks(s string) string { return citeMark.ReplaceAllString(s, "") }

// sentenceEnd are the marks that end a sentence; closers may follow them.
const (
	sentenceEnd = "。！？!?；;\n"
	closers     = "”’」』）)\"'"
)

// cutSentence cuts the first complete sentence off s: up to an end mark,
// with the closing quotes and citation marks after it. A sentence is
// complete only once something else follows, since a mark may still come;
// final says nothing more will.
func cutSentence(s string, final bool) (sentence, rest string, ok bool) {
	for i, r := range s {
		if !isSentenceEnd(s, i, r) {
			continue
		}
		j := trailers(s, i+utf8.RuneLen(r))
		if !final && (j == len(s) || partialMark(s[j:])) {
			return "", s, false
		}
		return s[:j], s[j:], true
	}
	if final {
		return s, "", true
	}
	return "", s, false
}

// trailers skips the closing quotes and citation marks that belong to the
// sentence ending just before s[j].
func trailers(s string, j int) int {
	for j < len(s) {
		r, n := utf8.DecodeRuneInString(s[j:])
		if strings.ContainsRune(closers, r) {
			j += n
			continue
		}
		if loc := citeMark.FindStringIndex(s[j:]); loc != nil && loc[0] == 0 {
			j += loc[1]
			continue
		}
		return j
	}
	return j
}

// isSentenceEnd reports whether r at s[i] ends a sentence. An English full
// stop does only before a space, and not after a digit (1.5, "1. ").
func isSentenceEnd(s string, i int, r rune) bool {
	if strings.ContainsRune(sentenceEnd, r) {
		return true
	}
	if r != '.' || i == 0 || s[i-1] >= '0' && s[i-1] <= '9' {
		return false
	}
	return i+1 < len(s) && (s[i+1] == ' ' || s[i+1] == '\n')
}

// partialMark reports whether s, the start of what follows a sentence, may
// be the beginning of a citation mark still being written.
func partialMark(s string) bool {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(t)
	if !strings.ContainsRune("[【［", r) {
		return false
	}
	return !strings.ContainsAny(t, "]】］")
}
