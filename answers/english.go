package answers

import (
	"regexp"
	"strconv"
	"strings"
)

// english rewrites figures written in (lower-case) English into the notice's
// Chinese forms, so one extractor reads both: two thousand yuan → 2000元,
// 50 percent → 50%, two thirds → 2/3, six months → 6个月,
// april 30, 2023 → 2023年4月30日.
func english(s string) string {
	if !hasLatinLetter(s) {
		// Chinese text: only the signs English and Chinese share.
		if strings.ContainsAny(s, "¥￥") || strings.Contains(s, " %") {
			s = currencySign.ReplaceAllString(s, "${1}元")
			s = spacedPercent.ReplaceAllString(s, "${1}%")
		}
		return s
	}
	s = numberWords(s)
	s = multiplyOut(s) // 3 million → 3000000, before the currency reads it
	for _, r := range englishRewrites {
		s = r.re.ReplaceAllString(s, r.to)
	}
	return englishDates(s)
}

var (
	currencySign  = regexp.MustCompile(`[¥￥]\s*` + num)
	spacedPercent = regexp.MustCompile(num + `\s+%`)
)

func hasLatinLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

const num = `(\d+(?:\.\d+)?)`

var englishRewrites = []struct {
	re *regexp.Regexp
	to string
}{
	{regexp.MustCompile(`half[\s-]+(?:a[\s-]+)?year\b`), "6个月"},
	{regexp.MustCompile(`(?:rmb|cny|¥|￥)\s*` + num), "${1}元"},
	{regexp.MustCompile(num + `\s*(?:yuan|rmb|cny)\b`), "${1}元"},
	{regexp.MustCompile(num + `\s*(?:%|percent\b|per\s+cent\b|pct\b)`), "${1}%"},
	{regexp.MustCompile(num + `[\s-]*(?:calendar\s+)?months?\b`), "${1}个月"},
	{regexp.MustCompile(num + `[\s-]*years?\b`), "${1}年"},
	{regexp.MustCompile(num + `[\s-]*days?\b`), "${1}天"},
	{regexp.MustCompile(num + `[\s-]*weeks?\b`), "${1}周"},
	{regexp.MustCompile(num + `\s*(?:people|persons?|employees?|workers?|staff)\b`), "${1}人"},
	{regexp.MustCompile(num + `\s*(?:jobs?|positions?|posts?)\b`), "${1}个"},
}

const monthNames = `(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

var (
	isoDate      = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	monthDayYear = regexp.MustCompile(`\b` + monthNames + `\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*,\s*|\s+)(\d{4})\b`)
	dayMonthYear = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthNames + `\s*,?\s+(\d{4})\b`)
	monthYear    = regexp.MustCompile(`\b` + monthNames + `\s*,?\s+(\d{4})\b`)
	monthDay     = regexp.MustCompile(`\b` + monthNames + `\s+(\d{1,2})(?:st|nd|rd|th)?\b`)
	dayMonth     = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthNames + `\b`)
)

// englishDates writes dates as the notice does: 2023年4月30日, 2023年4月,
// 4月30日. (ISO dates, 2023-04-30, are rewritten for every language.)
func englishDates(s string) string {
	s = monthDayYear.ReplaceAllStringFunc(s, func(m string) string {
		p := monthDayYear.FindStringSubmatch(m)
		return p[3] + "年" + monthNumber(p[1]) + "月" + p[2] + "日"
	})
	s = dayMonthYear.ReplaceAllStringFunc(s, func(m string) string {
		p := dayMonthYear.FindStringSubmatch(m)
		return p[3] + "年" + monthNumber(p[2]) + "月" + p[1] + "日"
	})
	s = monthYear.ReplaceAllStringFunc(s, func(m string) string {
		p := monthYear.FindStringSubmatch(m)
		return p[2] + "年" + monthNumber(p[1]) + "月"
	})
	s = monthDay.ReplaceAllStringFunc(s, func(m string) string {
		p := monthDay.FindStringSubmatch(m)
		return monthNumber(p[1]) + "月" + p[2] + "日"
	})
	return dayMonth.ReplaceAllStringFunc(s, func(m string) string {
		p := dayMonth.FindStringSubmatch(m)
		return monthNumber(p[2]) + "月" + p[1] + "日"
	})
}

func monthNumber(name string) string {
	for i, prefix := range []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(name, prefix) {
			return strconv.Itoa(i + 1)
		}
	}
	return name
}

var (
	smallNumbers = map[string]int64{
		"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
		"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
		"fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
		"nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
		"seventy": 70, "eighty": 80, "ninety": 90,
	}
	scaleWords = map[string]int64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}
	// fractionWords are the denominators English spells out: two thirds.
	fractionWords = map[string]int64{
		"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
		"fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10,
	}
	// unitWords follow a number that is a figure. Without one, "one" in
	// "one-time" or "two measures" stays a word.
	unitWords = map[string]bool{
		"percent": true, "per": true, "yuan": true, "rmb": true, "cny": true,
		"month": true, "months": true, "year": true, "years": true, "day": true, "days": true,
		"week": true, "weeks": true, "people": true, "persons": true, "person": true,
		"employees": true, "employee": true, "workers": true, "worker": true, "staff": true,
		"jobs": true, "job": true, "positions": true, "position": true, "posts": true,
		"times": true, "calendar": true,
	}
	wordToken = regexp.MustCompile(`[a-z]+`)
)

// numberWords writes number words as digits where they state a figure:
// "two thousand yuan" → "2000 yuan", "six-month" → "6-month",
// "two thirds" → "2/3", "a third" → "1/3". Others stay words.
func numberWords(s string) string {
	toks := wordToken.FindAllStringIndex(s, -1)
	var b strings.Builder
	at := 0
	for i := 0; i < len(toks); i++ {
		run, value, scaled := numberRun(s, toks, i)
		if run == 0 {
			continue
		}
		start, end := toks[i][0], toks[i+run-1][1]
		next := ""
		if i+run < len(toks) && joined(s, end, toks[i+run][0]) {
			next = s[toks[i+run][0]:toks[i+run][1]]
		}
		var out string
		switch {
		case fractionWords[next] > 0 && value > 0 && value < fractionWords[next]:
			out = strconv.FormatInt(value, 10) + "/" + strconv.FormatInt(fractionWords[next], 10)
			end = toks[i+run][1]
			run++
		case unitWords[next] || scaled || value >= 10:
			out = strconv.FormatInt(value, 10)
		default:
			i += run - 1
			continue
		}
		b.WriteString(s[at:start])
		b.WriteString(out)
		at = end
		i += run - 1
	}
	if at == 0 {
		return s
	}
	b.WriteString(s[at:])
	return b.String()
}

// numberRun reads the number words starting at token i: how many tokens,
// their value, and whether a scale word (thousand, million …) was among them.
// A lone "a" counts as one only before a fraction: a third.
func numberRun(s string, toks [][]int, i int) (n int, value int64, scaled bool) {
	word := func(j int) string { return s[toks[j][0]:toks[j][1]] }
	if word(i) == "a" {
		if i+1 < len(toks) && joined(s, toks[i][1], toks[i+1][0]) && fractionWords[word(i+1)] > 0 {
			return 1, 1, false
		}
		return 0, 0, false
	}
	var total, section int64
	j := i
	for ; j < len(toks); j++ {
		w := word(j)
		if j > i && !joined(s, toks[j-1][1], toks[j][0]) {
			break
		}
		if v, ok := smallNumbers[w]; ok {
			section += v
			continue
		}
		if k, ok := scaleWords[w]; ok && j > i {
			scaled = true
			if k == 100 {
				section *= k
			} else {
				total += section * k
				section = 0
			}
			continue
		}
		if w == "and" && j > i && j+1 < len(toks) {
			if _, ok := smallNumbers[word(j+1)]; ok {
				continue
			}
		}
		break
	}
	if j == i {
		return 0, 0, false
	}
	return j - i, total + section, scaled
}

// joined reports whether only spaces and hyphens lie between two words.
func joined(s string, end, start int) bool {
	return strings.Trim(s[end:start], " -") == "" && start-end <= 3
}
