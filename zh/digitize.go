package zh

import (
	"strconv"
	"strings"
)

// measureWords are the characters after which a number in characters is a
// quantity (三个, 两年, 一百二十人) rather than part of a word (一次性, 统一).
const measureWords = "个人名位年月日号天周岁元块万千百%倍家条项成批期次届"

// wordsWithNumerals are common words whose numeral characters are not quantities.
var wordsWithNumerals = []string{
	"一次性", "一批", "一些", "一起", "一下", "一点", "一般", "一定", "一直", "一样", "一律",
	"统一", "唯一", "万一", "进一步", "一步", "一库四联盟", "六稳", "六保", "一条龙", "一个人",
	"千万", "百姓", "万元户", "两个人",
}

// Digitize rewrites quantities written in characters as digits where that
// helps matching: 三个 → 3个, 两年内 → 2年内, 一百二十人 → 120人,
// 百分之五十 → 50%, 三分之二 → 2/3. Numerals inside ordinary words stay.
func Digitize(s string) string {
	s = digitizeFractions(s)
	runes := []rune(s)
	var b strings.Builder
	for i := 0; i < len(runes); {
		if w := protectedWordAt(runes, i); w > 0 {
			b.WriteString(string(runes[i : i+w]))
			i += w
			continue
		}
		j := RunEnd(runes, i)
		if j == i {
			b.WriteRune(runes[i])
			i++
			continue
		}
		b.WriteString(numeralRun(runes, i, j))
		i = j
	}
	return b.String()
}

// numeralRun renders runes[i:j], a run of numeral characters, as digits when
// a measure word follows it and it parses as a number.
func numeralRun(runes []rune, i, j int) string {
	run := string(runes[i:j])
	if j >= len(runes) || !strings.ContainsRune(measureWords, runes[j]) {
		return run
	}
	// 3万元, 1.5万, 2千: a multiplier after digits belongs to them and stays.
	if i > 0 && (isDigit(runes[i-1]) || runes[i-1] == '.') {
		return run
	}
	// 万, 千 and 百 are measure words too: 3万元 stays "3万", 三千 becomes 3000.
	if v, ok := ParseNumber(run); ok {
		return strconv.FormatInt(v, 10)
	}
	return run
}

// ProtectedAt reports whether a word whose numerals are no quantity (一次性,
// 万一, 统一) starts at runes[i].
func ProtectedAt(runes []rune, i int) bool { return protectedWordAt(runes, i) > 0 }

func protectedWordAt(runes []rune, i int) int {
	rest := string(runes[i:min(len(runes), i+6)])
	for _, w := range wordsWithNumerals {
		if strings.HasPrefix(rest, w) {
			return len([]rune(w))
		}
	}
	return 0
}

// digitizeFractions rewrites 百分之N as N% and M分之N as N/M.
func digitizeFractions(s string) string {
	if !strings.Contains(s, "分之") {
		return s
	}
	runes := []rune(s)
	var b strings.Builder
	for i := 0; i < len(runes); i++ {
		if i+1 < len(runes) && runes[i] == '分' && runes[i+1] == '之' {
			den, dStart := numberBefore(runes, i)
			num, nEnd := numberAfter(runes, i+2)
			if den > 0 && num > 0 {
				out := []rune(b.String())
				b.Reset()
				b.WriteString(string(out[:len(out)-(i-dStart)]))
				if den == 100 {
					b.WriteString(strconv.FormatInt(num, 10) + "%")
				} else {
					b.WriteString(strconv.FormatInt(num, 10) + "/" + strconv.FormatInt(den, 10))
				}
				i = nEnd - 1
				continue
			}
		}
		b.WriteRune(runes[i])
	}
	return b.String()
}

// numberBefore reads the numeral (characters or digits) ending at runes[end-1].
func numberBefore(runes []rune, end int) (int64, int) {
	start := end
	for start > 0 && (IsNumeral(runes[start-1]) || isDigit(runes[start-1])) {
		start--
	}
	return parseAny(string(runes[start:end])), start
}

// numberAfter reads the numeral (characters or digits) starting at runes[start].
func numberAfter(runes []rune, start int) (int64, int) {
	end := start
	for end < len(runes) && (IsNumeral(runes[end]) || isDigit(runes[end])) {
		end++
	}
	return parseAny(string(runes[start:end])), end
}

func parseAny(s string) int64 {
	if s == "" {
		return 0
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v
	}
	if s == "百" {
		return 100
	}
	v, _ := ParseNumber(s)
	return v
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }
