package kb

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"policybot/zh"
)

// line is one non-blank line of a notice as extracted from its PDF.
type line struct {
	text     string // trimmed
	indented bool   // the PDF put white space before it (dates, signatures)
	width    int    // printed width in columns
}

// Headings of parts (一、) and clauses (（一）) at the start of a line.
var (
	partMarker   = regexp.MustCompile(`^([一二三四五六七八九十百]+)、`)
	clauseMarker = regexp.MustCompile(`^[（(]([一二三四五六七八九十百]+)[）)]`)
)

// docTypeSuffix ends the title of a notice (通知, 意见, 办法 …).
var docTypeSuffix = regexp.MustCompile(`(通知|意见|办法|措施|方案|规定|决定|细则|公告|通告|批复|函)$`)

// splitLines returns the non-blank lines of raw PDF text.
func splitLines(raw string) []line {
	raw = strings.TrimPrefix(raw, "\uFEFF")
	raw = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\f", "\n").Replace(raw)
	var out []line
	for _, l := range strings.Split(raw, "\n") {
		t := strings.TrimFunc(l, unicode.IsSpace)
		if t == "" {
			continue
		}
		out = append(out, line{
			text:     t,
			indented: len(l) > 0 && unicode.IsSpace([]rune(l)[0]),
			width:    zh.Width(t),
		})
	}
	return out
}

// fullWidth is the width of a full line of body text: the upper quartile of
// line widths, which ignores short last lines and the odd hanging comma.
func fullWidth(lines []line) int {
	if len(lines) == 0 {
		return 0
	}
	ws := make([]int, len(lines))
	for i, l := range lines {
		ws[i] = l.width
	}
	slices.Sort(ws)
	return ws[len(ws)*3/4]
}

// paragraphs joins lines into paragraphs. The PDF lost paragraph marks, so a
// paragraph ends where a line is visibly short and ends a sentence, before a
// heading, and before an indented line.
func paragraphs(lines []line) []string {
	full := fullWidth(lines)
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, joinLines(cur))
			cur = nil
		}
	}
	for i, l := range lines {
		if startsHeading(l.text) || l.indented {
			flush()
		}
		cur = append(cur, l.text)
		next := i + 1
		if l.indented || endsParagraph(l, full) || (next < len(lines) && lines[next].indented) {
			flush()
		}
	}
	flush()
	return out
}

func startsHeading(s string) bool {
	return partMarker.MatchString(s) || clauseMarker.MatchString(s)
}

// endsParagraph: a line that ends a sentence and stops at least two
// characters short of the full width is the last line of its paragraph.
func endsParagraph(l line, full int) bool {
	r := []rune(l.text)
	last := r[len(r)-1]
	terminal := strings.ContainsRune("。！？：；", last) || (last == '）' && l.width < full/2)
	return terminal && l.width <= full-4
}

// joinLines glues the lines of a paragraph back together: Chinese needs no
// space at a line break, words in Latin script do.
func joinLines(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && isASCIIAlnum(lastRune(parts[i-1])) && isASCIIAlnum(firstRune(p)) {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return squeezeSpaces(b.String())
}

// squeezeSpaces removes the spaces a PDF puts around figures in Chinese text
// (至 2023年 4月 30日 → 至2023年4月30日) and keeps a space only between two
// Latin letters or digits.
func squeezeSpaces(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		if !unicode.IsSpace(r[i]) {
			b.WriteRune(r[i])
			continue
		}
		j := i
		for j < len(r) && unicode.IsSpace(r[j]) {
			j++
		}
		if i > 0 && j < len(r) && isASCIIAlnum(r[i-1]) && isASCIIAlnum(r[j]) {
			b.WriteByte(' ')
		}
		i = j - 1
	}
	return b.String()
}

// Normalize applies the notice's text normalisation to any string: spaces
// squeezed out around figures and line breaks joined.
func Normalize(s string) string {
	return squeezeSpaces(strings.Join(strings.Fields(s), " "))
}

func isASCIIAlnum(r rune) bool {
	return r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func lastRune(s string) rune {
	r := []rune(s)
	if len(r) == 0 {
		return 0
	}
	return r[len(r)-1]
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}
