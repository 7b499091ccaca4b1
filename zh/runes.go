package zh

import "unicode"

// IsHan reports whether r is a Chinese character.
func IsHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// IsWide reports whether r takes two columns in print: Chinese characters and
// full-width punctuation.
func IsWide(r rune) bool {
	return IsHan(r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFF60) ||
		(r >= 0x2018 && r <= 0x201F)
}

// Width is the printed width of s in columns: two for wide runes, one for the rest.
func Width(s string) int {
	n := 0
	for _, r := range s {
		if IsWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
