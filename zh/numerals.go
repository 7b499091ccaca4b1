package zh

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// digitValue maps a Chinese digit character to its value.
var digitValue = map[rune]int64{
	'零': 0, '〇': 0, '○': 0,
	'一': 1, '壹': 1, '幺': 1,
	'二': 2, '两': 2, '兩': 2, '贰': 2, '貳': 2,
	'三': 3, '叁': 3, '參': 3,
	'四': 4, '肆': 4,
	'五': 5, '伍': 5,
	'六': 6, '陆': 6, '陸': 6,
	'七': 7, '柒': 7,
	'八': 8, '捌': 8,
	'九': 9, '玖': 9,
}

// unitValue maps a Chinese multiplier character to its value.
var unitValue = map[rune]int64{
	'十': 10, '拾': 10,
	'百': 100, '佰': 100,
	'千': 1000, '仟': 1000,
	'万': 10_000, '萬': 10_000,
	'亿': 100_000_000, '億': 100_000_000,
}

// financial are the forms of numerals written on cheques and contracts
// (壹, 伍, 拾). In everyday text they are mostly parts of words (队伍, 退伍),
// so a run of numerals does not mix them with the everyday forms.
const financial = "壹贰貳叁參肆伍陆陸柒捌玖拾佰仟"

// RunEnd returns where the run of numerals starting at runes[i] ends: the
// first rune that is not a numeral, or whose form (everyday or financial)
// differs from the run's first. A run of one everyday 十 and a financial 伍
// is two runs, so 退伍三年 has the number 三 only.
func RunEnd(runes []rune, i int) int {
	if i >= len(runes) || !IsNumeral(runes[i]) {
		return i
	}
	fin := strings.ContainsRune(financial, runes[i])
	j := i
	for j < len(runes) && IsNumeral(runes[j]) && strings.ContainsRune(financial, runes[j]) == fin {
		j++
	}
	return j
}

// DigitOf returns the value of a Chinese digit character (一 1, 幺 1, 两 2,
// 〇 0, 捌 8 …), reporting false for any other character.
func DigitOf(r rune) (int, bool) {
	v, ok := digitValue[r]
	return int(v), ok
}

// DigitRunes lists every Chinese digit character DigitOf knows, in order.
func DigitRunes() []rune {
	out := make([]rune, 0, len(digitValue))
	for r := range digitValue {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// IsNumeral reports whether r can be part of a number written in characters.
func IsNumeral(r rune) bool {
	_, d := digitValue[r]
	_, u := unitValue[r]
	return d || u
}

// IsDigitNumeral reports whether r is a digit written as a character (三,
// 两, 〇), not a multiplier (十, 万).
func IsDigitNumeral(r rune) bool {
	_, d := digitValue[r]
	return d
}

// ParseNumber reads a whole number written in Chinese characters, such as
// 十八, 一百二十, 两千, 三万五 or 二〇二二 (digit by digit). Two digits in a
// row, the second one more (五六个, 三四十), say about how many: the lower
// stands, as a clerk writes 二十来号人 down as 20. It reports false when s
// is not such a number.
func ParseNumber(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	if v, ok := parseDigitRun(s); ok {
		return v, true
	}
	var total, section, digit int64
	sawDigit, lastUnit := false, int64(0)
	for _, r := range s {
		if d, ok := digitValue[r]; ok {
			if sawDigit && d == digit+1 && d > 1 {
				continue // 五六: about five
			}
			digit, sawDigit = d, true
			continue
		}
		u, ok := unitValue[r]
		if !ok {
			return 0, false
		}
		switch {
		case u >= 10_000:
			section = (section + digit) * u
			total += section
			section, digit = 0, 0
		default:
			if !sawDigit && digit == 0 {
				digit = 1 // 十八 means 一十八
			}
			section += digit * u
			digit = 0
		}
		lastUnit, sawDigit = u, false
	}
	// A trailing digit after a unit abbreviates the next unit down: 三万五 is 35000, 一百五 is 150.
	if digit > 0 && lastUnit >= 100 && !strings.ContainsAny(s, "零〇") {
		digit *= lastUnit / 10
	}
	return total + section + digit, true
}

// parseDigitRun reads numbers spelt digit by digit (二〇二二, 一二三三三) that
// have no multiplier characters.
func parseDigitRun(s string) (int64, bool) {
	if utf8.RuneCountInString(s) < 2 || approximate(s) {
		return 0, false
	}
	var v int64
	for _, r := range s {
		d, ok := digitValue[r]
		if !ok {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

// approximate reports whether s is two digits, the second one more: 五六
// (five or six), not 56.
func approximate(s string) bool {
	runes := []rune(s)
	if len(runes) != 2 {
		return false
	}
	a, okA := digitValue[runes[0]]
	b, okB := digitValue[runes[1]]
	return okA && okB && a >= 1 && b == a+1
}
