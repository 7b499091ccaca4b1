package reading

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/kb"
)

// frame is what reveals one fact in text: its phrases per value, its
// patterns for a number, the people an employer hires, the dated events
// and the durations that tell it.
type frame struct {
	fact     *kb.Fact
	phrases  []valuePhrase // longest first
	hires    []string      // longest first
	events   []string      // longest first
	lasting  []string      // longest first
	gapped   []valuePhrase // phrases with a gap
	inReply  []valuePhrase // phrases that count only in a reply to the fact's question
	alone    []valuePhrase // phrases that count only as a clause of their own
	category []string      // words naming the enum's values together, longest first
	words    []string      // words a mention of another fact may be a part of
}

type valuePhrase struct {
	text  string
	value string
	parts []string // a phrase with a gap (拿过…稳岗返还): its parts, in order
}

// gap marks where a phrase lets other words in: 拿过…稳岗返还 matches 今年拿过
// 服务业领域困难行业的稳岗返还, its parts in order within reach in one clause.
const gap = "…"

// newFrame compiles what reveals a fact; norm writes its phrases the way
// messages are written before matching (一家 is 1家 in both).
func newFrame(f *kb.Fact, norm func(string) string) *frame {
	fr := &frame{fact: f, hires: longestFirst(f.Hires)}
	for value, list := range f.Recognise.Phrases {
		for _, p := range list {
			p = norm(strings.ToLower(p))
			switch {
			case strings.Contains(p, gap):
				fr.gapped = append(fr.gapped, valuePhrase{text: p, value: value, parts: strings.Split(p, gap)})
			case p != "":
				fr.phrases = append(fr.phrases, valuePhrase{text: p, value: value})
			}
		}
	}
	slices.SortStableFunc(fr.phrases, func(a, b valuePhrase) int {
		if c := cmp.Compare(len([]rune(b.text)), len([]rune(a.text))); c != 0 {
			return c
		}
		return cmp.Compare(a.value, b.value)
	})
	if f.Dated != nil {
		fr.events = longestFirst(f.Dated.Events)
	}
	if f.Lasting != nil {
		fr.lasting = longestFirst(f.Lasting.Words)
	}
	for value, list := range f.InReply {
		for _, p := range list {
			fr.inReply = append(fr.inReply, valuePhrase{text: norm(strings.ToLower(p)), value: value})
		}
	}
	slices.SortStableFunc(fr.inReply, func(a, b valuePhrase) int { return cmp.Compare(len(b.text), len(a.text)) })
	for value, list := range f.Alone {
		for _, p := range list {
			fr.alone = append(fr.alone, valuePhrase{text: strings.ToLower(p), value: value})
		}
	}
	if f.Category != nil {
		for _, w := range f.Category.Words {
			fr.category = append(fr.category, norm(strings.ToLower(w)))
		}
		fr.category = longestFirst(fr.category)
	}
	// A bool's phrases name a thing of their own (领取失业保险金); an enum's
	// name a kind (小型企业 is still an enterprise).
	if f.Type == kb.FactBool {
		for _, p := range fr.phrases {
			fr.words = append(fr.words, p.text)
		}
		for _, p := range fr.gapped { // 失业保险金 of 领…失业保险金
			for _, part := range p.parts {
				if utf8.RuneCountInString(part) >= 2 {
					fr.words = append(fr.words, part)
				}
			}
		}
	}
	fr.words = append(append(append(fr.words, fr.hires...), fr.events...), fr.lasting...)
	return fr
}

// kind of a mention: how its value came about, which decides what cues
// apply to it. A hedge leaves a phrase unknown, not a number (大概二十个人
// is about 20).
type kind int

const (
	byPhrase  kind = iota // a phrase of a value
	byNumber              // a pattern's number, a duration, a date
	byHire                // a hiring verb and the people hired
	byHireAny             // people hired, without how many
)

// mention is one place a message speaks of a fact.
type mention struct {
	frame *frame
	span
	value any // as the schema normalises it; nil for byHireAny
	kind  kind
	// group is where a hire mention names the people hired: no other fact
	// may be read there (残疾人 in 没有招残疾人 is not the speaker's).
	group span
	// inside is a stretch within the mention where a denial counts as if
	// before it: the gap of 失业金…领 in 失业金我没有领, or what stands
	// between a hiring verb and the people (招的人里没有脱贫户).
	inside span
	// category mentions name an enum's values together (see kb.Category).
	category bool
	// lasting mentions are durations: how many months; dated ones come of
	// the date of an event. Both are judgments a hedge leaves unknown.
	lasting bool
	dated   bool
	months  int64
}

// scan is what frames look in: the normalized message and what was found in
// it that every frame uses.
type scan struct {
	t        *text
	verbs    []span // hiring verbs
	ds       []duration
	dates    []date
	reach    int
	today    time.Time
	breaks   []span   // where clauses end
	measures []string // measure words after a count: 3名
	// pending is the fact asked for last: in a reply to it, its people
	// need no hiring verb (残疾人也没有) and its durations no words (七个多月).
	pending string
}

// clauseAt is the clause around a span, without spaces at its ends.
func (sc *scan) clauseAt(s span) span {
	start, end := 0, len(sc.t.runes)
	for _, b := range sc.breaks {
		if b.end <= s.start {
			start = b.end
		}
		if b.start >= s.end && b.start < end {
			end = b.start
		}
	}
	for start < end && sc.t.runes[start] == ' ' {
		start++
	}
	for end > start && sc.t.runes[end-1] == ' ' {
		end--
	}
	return span{start, end}
}

// crosses reports whether a clause ends between two positions.
func (sc *scan) crosses(from, to int) bool {
	for _, b := range sc.breaks {
		if b.start >= from && b.start < to {
			return true
		}
	}
	return false
}

// mentions lists every place the message speaks of the frame's fact.
func (fr *frame) mentions(sc *scan) []mention {
	t := sc.t
	var out []mention
	f := fr.fact
	// Phrases: the longest at a place wins (不是农民工 over 农民工).
	var taken []span
	for _, p := range fr.phrases {
		for _, s := range t.find(p.text) {
			if overlapsAny(taken, s) {
				continue
			}
			v, err := f.Normalize(p.value)
			if err != nil {
				continue
			}
			taken = append(taken, s)
			out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase})
		}
	}
	// Words that speak of the fact only in a reply to its question.
	if sc.pending == f.Key {
		for _, p := range fr.inReply {
			for _, s := range t.find(p.text) {
				if overlapsAny(taken, s) {
					continue
				}
				if v, err := f.Normalize(p.value); err == nil {
					taken = append(taken, s)
					out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase})
				}
			}
		}
	}
	// Words naming the category: said, they tell no value; denied, the
	// category's not (不是农民工).
	for _, w := range fr.category {
		for _, s := range t.find(w) {
			if !overlapsAny(taken, s) {
				taken = append(taken, s)
				out = append(out, mention{frame: fr, span: s, kind: byPhrase, category: true})
			}
		}
	}
	// A phrase with a gap: its parts in order, in reach, in one clause.
	for _, p := range fr.gapped {
		for _, first := range t.find(p.parts[0]) {
			s, ok := first, true
			for _, part := range p.parts[1:] {
				next, found := span{}, false
				for _, o := range t.find(part) {
					if o.start >= s.end && t.distance(s.end, o.start) <= sc.reach && !sc.crosses(s.end, o.start) {
						next, found = o, true
						break
					}
				}
				if !found {
					ok = false
					break
				}
				s.end = next.end
			}
			if !ok || overlapsAny(taken, s) {
				continue
			}
			if v, err := f.Normalize(p.value); err == nil {
				taken = append(taken, s)
				inside := span{first.end, s.end - len([]rune(p.parts[len(p.parts)-1]))}
				out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase, inside: inside})
			}
		}
	}
	// A phrase alone: 女 in 47岁，女，打零工.
	for _, p := range fr.alone {
		for _, s := range t.find(p.text) {
			if sc.clauseAt(s) != s {
				continue
			}
			if v, err := f.Normalize(p.value); err == nil {
				out = append(out, mention{frame: fr, span: s, value: v, kind: byPhrase})
			}
		}
	}
	for _, re := range f.Recognise.Patterns {
		for _, m := range re.FindAllStringSubmatchIndex(t.s, -1) {
			v, err := f.Normalize(t.s[m[2]:m[3]])
			if err != nil {
				continue
			}
			out = append(out, mention{frame: fr, span: span{t.byteToRune[m[0]], t.byteToRune[m[1]]}, value: v, kind: byNumber})
		}
	}
	out = append(out, fr.hired(sc)...)
	out = append(out, fr.dated(sc)...)
	out = append(out, fr.lasted(sc)...)
	return out
}

// sortedKeys lists a map's keys longest first.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(len(b), len(a)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}
