package answers

import (
	"fmt"
	"io/fs"
	"regexp"
	"strings"

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

// check verifies one sentence against the grounds of its citations.
func (v *Verifier) check(s string, gr *grounds) *Rejection {
	body := strings.TrimSpace(stripMarks(s))
	if v.prompts.IsNotStated(body) {
		return nil
	}
	if strings.ContainsAny(body, "<>‹›") {
		return &Rejection{Reason: "contains markup or prompt tags", Sentence: body}
	}
	if blob := encoded.FindString(body); blob != "" {
		return &Rejection{Reason: fmt.Sprintf("encoded text %.12q…", blob), Sentence: body}
	}
	for _, f := range v.reader.figures(body) {
		if !gr.supports(f) {
			return &Rejection{Reason: fmt.Sprintf("%s %q is not in the cited sources", f.Kind, strings.TrimSpace(f.Text)), Sentence: body}
		}
	}
	pairs := hanBigrams(v.reader.folder.Fold(body))
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
	if words := latinWords(strings.ToLower(body)); len(words) >= minEnglishWords && !v.glossary.grounded(words, gr.text) {
		return &Rejection{Reason: "names nothing the cited sources say", Sentence: body}
	}
	return nil
}
