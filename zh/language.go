package zh

import "unicode"

// Language is "en" for text in Latin letters without Chinese, "zh" for
// text with Chinese, and fallback otherwise (a bare "3" or "ok" in a
// conversation keeps its language); an empty fallback means "zh".
func Language(text, fallback string) string {
	latin := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			return "zh"
		}
		if r < 128 && unicode.IsLetter(r) {
			latin++
		}
	}
	switch {
	case latin >= 2:
		return "en"
	case fallback != "":
		return fallback
	}
	return "zh"
}
