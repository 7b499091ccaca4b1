package retrieval

import (
	"strings"
	"unicode/utf8"
)

// starts finds the notice's words behind a character people write alone
// for a word (能贷多少 for 贷款, 招一个 for 招用, 减税 for 减免税费): the
// corpus's two-character words that begin with it. It replaces hand-made
// synonyms of single characters, which the tables refuse.
type starts struct {
	byFirst map[rune][]string
}

const (
	maxStarts   = 6   // a character that begins more words says too little
	startsBoost = 0.5 // shared among the words it may stand for
)

func newStarts(words map[string]bool) *starts {
	s := &starts{byFirst: map[rune][]string{}}
	for w := range words {
		if utf8.RuneCountInString(w) == 2 && allHan(w) {
			r, _ := utf8.DecodeRuneInString(w)
			s.byFirst[r] = append(s.byFirst[r], w)
		}
	}
	return s
}

// find returns expansions for the single characters of the cut that no
// table or correction took and that are not words of the corpus already.
func (s *starts) find(q string, cut []string, known func(string) bool, taken []expansion) []expansion {
	var out []expansion
	at := 0
	for _, w := range cut {
		i := strings.Index(q[at:], w)
		if i < 0 {
			continue
		}
		b, e := at+i, at+i+len(w)
		at = e
		if utf8.RuneCountInString(w) != 1 || !allHan(w) || known(w) || overlaps(taken, b, e) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if words := s.byFirst[r]; len(words) > 0 && len(words) <= maxStarts {
			out = append(out, expansion{start: b, end: e, to: words, boost: startsBoost})
		}
	}
	return out
}
