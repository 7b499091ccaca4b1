package answers

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"policybot/kb"
	"policybot/zh"
)

// Kinds of figure that only verification needs, beside kb's mention kinds.
const (
	kindNumber   kb.MentionKind = "number"    // a bare number: 2023, 4050
	kindMonth    kb.MentionKind = "month"     // a month of a year: 2023年4月
	kindMonthDay kb.MentionKind = "month_day" // a day without its year: 4月30日
	kindClause   kb.MentionKind = "clause"    // a clause named by number: （十九）, 第19条
)

// figure is one number a text states, in a form that compares equal however
// it was written: 2,000元, 两千元 and 2千元 are all an amount of 2000.
type figure struct {
	Kind     kb.MentionKind
	Text     string // as normalised, to say which figure failed
	Value    float64
	Max      float64
	Unit     string // durations: 月 (years counted as 12) or 天 (weeks as 7)
	From, To time.Time
}

// figureReader turns Chinese or English text into figures. It is safe for
// concurrent use.
type figureReader struct {
	folder *zh.Folder
}

// figures lists what text states as numbers, after normalising it.
func (r figureReader) figures(text string) []figure {
	s := r.normalize(text)
	var out []figure
	s = claim(s, ratePattern, func(m []string) figure {
		v, _ := strconv.ParseFloat(m[2], 64)
		if m[1] != "-" && m[1] != "minus" && m[1] != "减" {
			return figure{Kind: kb.Rate, Value: v}
		}
		return figure{Kind: kb.Rate, Value: -v}
	}, &out)
	s = claim(s, clauseRefPattern, clauseFigure, &out)
	for _, m := range kb.Extract(s, nil) {
		if !m.IsFigure() {
			continue
		}
		out = append(out, fromMention(m))
		s = mask(s, m.Start, m.End)
	}
	s = claim(s, monthPattern, func(m []string) figure {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		return figure{Kind: kindMonth, From: time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)}
	}, &out)
	s = claim(s, monthDayPattern, func(m []string) figure {
		mo, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		return figure{Kind: kindMonthDay, From: time.Date(0, time.Month(mo), d, 0, 0, 0, 0, time.UTC)}
	}, &out)
	claim(s, numberPattern, func(m []string) figure {
		v, _ := strconv.ParseFloat(m[0], 64)
		return figure{Kind: kindNumber, Value: v}
	}, &out)
	return out
}

// fromMention keeps what a kb mention says as a number.
func fromMention(m kb.Mention) figure {
	f := figure{Kind: m.Kind, Text: m.Text, Value: m.Value, Max: m.Max, From: m.From, To: m.To}
	if m.Kind == kb.Duration {
		switch m.Unit {
		case "年":
			f.Value, f.Unit = m.Value*12, "月"
		case "周":
			f.Value, f.Unit = m.Value*7, "天"
		default:
			f.Unit = m.Unit
		}
	}
	return f
}

func clauseFigure(m []string) figure {
	n := m[1] + m[2] + m[3]
	if v, err := strconv.Atoi(n); err == nil {
		return figure{Kind: kindClause, Value: float64(v)}
	}
	if v, ok := zh.ParseNumber(n); ok {
		return figure{Kind: kindClause, Value: float64(v)}
	}
	return figure{}
}

// claim adds a figure for every match of re in s, built by mk from the
// submatches (a zero Kind rejects the match), and masks what it claimed so
// later patterns do not read it again.
func claim(s string, re *regexp.Regexp, mk func(m []string) figure, out *[]figure) string {
	for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
		m := make([]string, len(loc)/2)
		for i := range m {
			if loc[2*i] >= 0 {
				m[i] = s[loc[2*i]:loc[2*i+1]]
			}
		}
		f := mk(m)
		if f.Kind == "" {
			continue
		}
		f.Text = m[0]
		*out = append(*out, f)
		s = mask(s, loc[0], loc[1])
	}
	return s
}

// mask blanks s[start:end] with spaces, keeping every byte offset.
func mask(s string, start, end int) string {
	return s[:start] + strings.Repeat(" ", end-start) + s[end:]
}

var (
	ratePattern      = regexp.MustCompile(`lpr\s*(-|\+|minus|plus|减|加)\s*(\d+)\s*(?:bps?\b|basis points?|个基点)`)
	clauseRefPattern = regexp.MustCompile(`\(([一二三四五六七八九十]+)\)|第([一二三四五六七八九十百零\d]+)(?:条|项|款)|\b(?:clause|measure|item|article)\s+(?:no\.\s*)?(\d+)`)
	monthPattern     = regexp.MustCompile(`(\d{4})年(\d{1,2})月`)
	monthDayPattern  = regexp.MustCompile(`(\d{1,2})月(\d{1,2})日`)
	numberPattern    = regexp.MustCompile(`\d+(?:\.\d+)?`)
)

// normalize rewrites the ways people write figures into the notice's own:
// digits, 元, %, 个月, 2023年4月30日, with 万 and 千 multiplied out.
func (r figureReader) normalize(s string) string {
	s = dropThousands(s) // before folding, while ， and , still differ
	s = r.folder.Fold(s)
	s = listMarker.ReplaceAllString(s, "")
	s = isoDate.ReplaceAllString(s, "${1}年${2}月${3}日")
	s = english(s)
	s = strings.ReplaceAll(s, "半年", "6个月")
	s = multiplyOut(s)
	s = zh.Digitize(s)
	return strings.NewReplacer("块钱", "元", "块", "元").Replace(s)
}

// listMarker is the "1." or "2、" that starts a list item, not a figure.
var listMarker = regexp.MustCompile(`(?m)^\s*\d{1,2}(?:[.)]\s+|、)`)

var thousandsSep = regexp.MustCompile(`(\d),(\d{3})(\D|$)`)

// dropThousands turns 2,000,000 into 2000000.
func dropThousands(s string) string {
	for {
		t := thousandsSep.ReplaceAllString(s, "$1$2$3")
		if t == s {
			return s
		}
		s = t
	}
}

var multiplied = regexp.MustCompile(`(\d+(?:\.\d+)?)(?:\s*([-—~～至到])\s*(\d+(?:\.\d+)?))?\s*(千万|百万|万|千|亿|thousand\b|million\b|billion\b)`)

var scale = map[string]float64{
	"千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8,
	"thousand": 1e3, "million": 1e6, "billion": 1e9,
}

// multiplyOut writes 300万 as 3000000 and 5-500万 as 50000-5000000, which
// zh.Digitize would misread (it reads a digit before 万 as a separate run).
func multiplyOut(s string) string {
	return multiplied.ReplaceAllStringFunc(s, func(m string) string {
		sub := multiplied.FindStringSubmatch(m)
		k := scale[sub[4]]
		out := times(sub[1], k)
		if sub[3] != "" {
			out += sub[2] + times(sub[3], k)
		}
		return out
	})
}

// times renders n×k without float noise: 34.1万 is 341000, not 341000.00000000006.
func times(n string, k float64) string {
	v, _ := strconv.ParseFloat(n, 64)
	return formatNumber(v * k)
}

func formatNumber(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}
