package reading

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"policybot/zh"
)

// normalize writes a folded message the way the schema's patterns are
// written: numbers in digits, with what qualifies them settled. 二十来号人
// is 20人, 一百多人 101人 (more than 100), 七个多月 8个月, 半年 6个月, three
// graduates 3 graduates.
func (r *Reader) normalize(folded string) string {
	s := thousands.ReplaceAllString(folded, "$1$2")
	s = r.englishNumbers(s)
	for _, w := range sortedKeys(r.cues.Numbers.Months) {
		s = strings.ReplaceAll(s, w, strconv.Itoa(r.cues.Numbers.Months[w])+"个月")
	}
	s = r.qualified(s)
	return zh.Digitize(s)
}

// thousands matches a thousands separator between digits: 5,000.
var thousands = regexp.MustCompile(`(\d),(\d\d\d)`)

// englishNumbers writes English number words as digits.
func (r *Reader) englishNumbers(s string) string {
	if len(r.cues.Numbers.Words) == 0 || !strings.ContainsFunc(s, func(c rune) bool { return c < 128 && unicode.IsLetter(c) }) {
		return s
	}
	words := strings.FieldsFunc(s, func(c rune) bool { return !(c < 128 && unicode.IsLetter(c)) })
	for _, w := range words {
		if n, ok := r.cues.Numbers.Words[w]; ok {
			s = replaceWord(s, w, strconv.Itoa(n))
		}
	}
	return s
}

// replaceWord replaces every whole-word occurrence of w in s.
func replaceWord(s, w, with string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, w)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		if boundaryBefore(s, i) && boundaryAfter(s, i+len(w)) {
			b.WriteString(s[:i] + with)
		} else {
			b.WriteString(s[:i+len(w)])
		}
		s = s[i+len(w):]
	}
}

// qualified settles the words that qualify a number: about (来, 左右) and
// more (多, 余) go, as a clerk writes 二十来号人 down as 20 and 一百多人 as
// 100; a measure word between a number and its unit (号 in 二十来号人)
// goes. A number in characters counted in 万 is written so (三十万 is 30万,
// as amounts in 万元 are asked).
func (r *Reader) qualified(s string) string {
	runes := []rune(s)
	var b strings.Builder
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && isDigitRune(runes[j]) {
			j++
		}
		if j == i {
			j = zh.RunEnd(runes, i)
		}
		if j == i {
			b.WriteRune(runes[i])
			i++
			continue
		}
		num := string(runes[i:j])
		n, ok := parseNumber(num)
		// A run of two or more numerals is a number even with no measure word
		// after it (四十五了, 七千五); one alone is often part of a word (一般).
		bare := ok && j-i >= 2 && !isDigitRune(runes[i]) && !zh.ProtectedAt(runes, i)
		if ok && n >= 10_000 && n%10_000 == 0 && runes[j-1] == '万' && !isDigitRune(runes[i]) {
			num = strconv.FormatInt(n/10_000, 10) + "万"
		}
		k := j
		found := false
		if c, ok := r.qualifierAt(runes, k); ok {
			found, k = true, k+len([]rune(c))
		}
		measure := prefixIn(runes, k, r.cues.Numbers.Measures)
		k2 := k + len([]rune(measure))
		if !found {
			if c, ok := r.qualifierAt(runes, k2); ok && measure != "" {
				found, k2 = true, k2+len([]rune(c))
			}
		}
		if !found || !ok {
			if bare && !strings.HasSuffix(num, "万") {
				num = strconv.FormatInt(n, 10)
			}
			b.WriteString(num)
			i = j
			continue
		}
		if strings.HasSuffix(num, "万") {
			b.WriteString(num)
		} else {
			b.WriteString(strconv.FormatInt(n, 10))
		}
		if measure == "号" || measure == "来号" {
			measure = ""
		}
		b.WriteString(measure)
		i = k2
	}
	return b.String()
}

// qualifierAt finds an about or more word at runes[i:].
func (r *Reader) qualifierAt(runes []rune, i int) (string, bool) {
	if c := prefixIn(runes, i, r.cues.Numbers.More); c != "" {
		return c, true
	}
	if c := prefixIn(runes, i, r.cues.Numbers.About); c != "" {
		return c, true
	}
	return "", false
}

// prefixIn returns the first of words (longest first) that runes[i:] starts with.
func prefixIn(runes []rune, i int, words []string) string {
	if i >= len(runes) {
		return ""
	}
	rest := string(runes[i:min(len(runes), i+8)])
	for _, w := range words {
		if strings.HasPrefix(rest, w) {
			return w
		}
	}
	return ""
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// parseNumber reads digits or a number in characters.
func parseNumber(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	return zh.ParseNumber(s)
}

// duration is a length of time stated in a message, in months.
type duration struct {
	span
	months int64
}

var (
	yearsMonths = regexp.MustCompile(`(\d+)年零?(\d+)个?月`)
	months      = regexp.MustCompile(`(\d+)个月|(\d+) ?months?`)
	years       = regexp.MustCompile(`(\d+)(?:周)?年|(\d+) ?years?`)
)

// durations finds the lengths of time a normalized message states: 7个月,
// 2年 (24), 1年3个月 (15), 18 months. A year number (2022年) is a date, not
// a length.
func durations(t *text) []duration {
	var out []duration
	add := func(b, e int, m int64) {
		s := span{t.byteToRune[b], t.byteToRune[e]}
		if !overlapsAny(spansOf(out), s) {
			out = append(out, duration{s, m})
		}
	}
	for _, m := range yearsMonths.FindAllStringSubmatchIndex(t.s, -1) {
		y, _ := strconv.ParseInt(t.s[m[2]:m[3]], 10, 64)
		mo, _ := strconv.ParseInt(t.s[m[4]:m[5]], 10, 64)
		if y < 100 {
			add(m[0], m[1], 12*y+mo)
		}
	}
	for _, m := range months.FindAllStringSubmatchIndex(t.s, -1) {
		add(m[0], m[1], atoi(t.s, m[2], m[3], m[4], m[5]))
	}
	for _, m := range years.FindAllStringSubmatchIndex(t.s, -1) {
		y := atoi(t.s, m[2], m[3], m[4], m[5])
		// 2022年 is a year; so is 22年 before a month (22年3月).
		if y >= 100 || strings.HasPrefix(t.s[m[1]:], "前") || startsWithDigit(t.s[m[1]:]) {
			continue
		}
		add(m[0], m[1], 12*y)
	}
	return out
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// atoi reads the first group of a match that matched.
func atoi(s string, bounds ...int) int64 {
	for i := 0; i+1 < len(bounds); i += 2 {
		if bounds[i] >= 0 {
			n, _ := strconv.ParseInt(s[bounds[i]:bounds[i+1]], 10, 64)
			return n
		}
	}
	return 0
}

func spansOf(ds []duration) []span {
	out := make([]span, len(ds))
	for i, d := range ds {
		out[i] = d.span
	}
	return out
}

// date is a time a message names: a year, given or counted back from today.
type date struct {
	span
	yearsAgo int64
}

var (
	fullYear   = regexp.MustCompile(`(20\d\d|19\d\d)[年届]|in ((?:19|20)\d\d)`)
	shortYear  = regexp.MustCompile(`(\d\d)年\d+月`)
	nYearsAgo  = regexp.MustCompile(`(\d+)`)
	monthAlone = regexp.MustCompile(`(\d{1,2})月份?`)
)

// dates finds the years a normalized message names, as years before today:
// 2025年 (1 in 2026), 去年, 前年, 两年前, 22年3月.
func (r *Reader) dates(t *text, today time.Time) []date {
	var out []date
	add := func(s span, ago int64) {
		if !overlapsAny(datesSpans(out), s) {
			out = append(out, date{s, ago})
		}
	}
	for _, m := range fullYear.FindAllStringSubmatchIndex(t.s, -1) {
		y := atoi(t.s, m[2], m[3], m[4], m[5])
		add(span{t.byteToRune[m[0]], t.byteToRune[m[1]]}, int64(today.Year())-y)
	}
	for _, m := range shortYear.FindAllStringSubmatchIndex(t.s, -1) {
		y := 2000 + atoi(t.s, m[2], m[3])
		add(span{t.byteToRune[m[0]], t.byteToRune[m[1]]}, int64(today.Year())-y)
	}
	// A month alone (3月份失业, in March): this year's, or last year's if
	// it is still to come.
	month := func(s span, n int64) {
		ago := int64(0)
		if n > int64(today.Month()) {
			ago = 1
		}
		add(s, ago)
	}
	for _, m := range monthAlone.FindAllStringSubmatchIndex(t.s, -1) {
		if m[2] > 0 && strings.HasSuffix(t.s[:m[2]], "年") {
			continue // part of a full date, read above
		}
		if n := atoi(t.s, m[2], m[3]); n >= 1 && n <= 12 {
			month(span{t.byteToRune[m[2]], t.byteToRune[m[1]]}, n)
		}
	}
	for name, n := range r.cues.Dates.Months {
		for _, s := range t.find(name) {
			month(s, int64(n))
		}
	}
	for _, w := range sortedKeys(r.cues.Dates.YearsAgo) {
		for _, s := range t.find(w) {
			add(s, int64(r.cues.Dates.YearsAgo[w]))
		}
	}
	for _, cue := range r.cues.Dates.Ago {
		for _, s := range t.find(cue) {
			// The number just before: 两年前 (normalized 2年前), 3 years ago.
			before := strings.TrimRight(string(t.runes[max(0, s.start-6):s.start]), " ")
			loc := nYearsAgo.FindAllStringIndex(before, -1)
			if len(loc) == 0 || loc[len(loc)-1][1] != len(before) {
				continue
			}
			n, _ := strconv.ParseInt(before[loc[len(loc)-1][0]:], 10, 64)
			start := s.start - len([]rune(string(t.runes[max(0, s.start-6):s.start]))) + len([]rune(before[:loc[len(loc)-1][0]]))
			add(span{start, s.end}, n)
		}
	}
	return out
}

func datesSpans(ds []date) []span {
	out := make([]span, len(ds))
	for i, d := range ds {
		out[i] = d.span
	}
	return out
}
