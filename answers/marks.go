package answers

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
