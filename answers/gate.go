package answers

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"policybot/kb"
)

// gate passes a phrased answer on sentence by sentence, as it is written,
// and only once each sentence is verified. Sentences before the first
// citation wait for it; after a rejection it passes nothing more.
type gate struct {
	v       *Verifier
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
	g := &gate{v: v, cited: map[int]bool{}, asked: map[float64]bool{}}
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
		if err := g.v.check(t, gr); err != nil {
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
