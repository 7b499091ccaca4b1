package retrieval

import (
	"strings"
	"unicode"

	"policybot/zh"
)

// Normalize folds a question into the notice's writing: simplified
// characters, ASCII digits and letters in lower case, quantities in digits,
// and no emoji, control characters or runs of spaces.
func (r *Retriever) Normalize(q string) string {
	q = strings.ToValidUTF8(q, " ")
	q = strings.Map(func(c rune) rune {
		switch {
		case unicode.IsControl(c), unicode.Is(unicode.So, c), unicode.Is(unicode.Sk, c),
			c >= 0x1F000, c == 0xFE0F, c == 0x200D:
			return ' '
		}
		return c
	}, q)
	q = zh.Digitize(r.folder.Fold(q))
	return strings.Join(strings.Fields(q), " ")
}

// hasContent reports whether a question has any letter or digit at all.
func hasContent(q string) bool {
	for _, c := range q {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return true
		}
	}
	return false
}
