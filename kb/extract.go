package kb

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// num is a number as the notices print it: 2000, 34.1, 10000.
const num = `(\d+(?:\.\d+)?)`

// dash joins the bounds of a range: 5－500万元.
const dash = `[－\-—~～至到]`

// Patterns for the figures a sentence states. Order matters: earlier kinds
// claim their text first, so 2023年4月30日 is a date and not a duration.
var (
	datePattern     = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日`)
	periodPattern   = regexp.MustCompile(`(\d{4})年(\d{1,2})月(\d{1,2})日(?:至|到|—|－|-)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日`)
	ratePattern     = regexp.MustCompile(`LPR\s*[－\-+＋]\s*\d+\s*(?:BP|个基点)`)
	amountPattern   = regexp.MustCompile(`(最高|不超过|每人每年|每人每月|每人)?` + num + `(?:` + dash + num + `)?(万|亿|千)?元(/人/年|/人|/年|/户)?(以下|以上|以内)?`)
	percentPattern  = regexp.MustCompile(num + `%`)
	ratioPattern    = regexp.MustCompile(`(\d+)/(\d+)`)
	durationPattern = regexp.MustCompile(`(满)?(\d+)(个月|年|天|周)(及以上|以上|以内|内|左右)?`)
	countPattern    = regexp.MustCompile(num + `(万)?(个|家|人次|人|条|大|名|所)(以上|左右)?`)
	docNoPattern    = regexp.MustCompile(`[\p{Han}]{1,8}〔\d{4}〕\d+号`)
	titleRefPattern = regexp.MustCompile(`《[^》]{2,80}》`)
)

// Extract finds what a sentence states: amounts, percentages, ratios,
// durations, dates and periods, counts, target groups and references to other
// documents. Mentions come back in text order and never overlap.
func Extract(sentence string, vocab *Vocabulary) []Mention {
	x := extractor{text: sentence}
	x.periods()
	x.dates()
	x.each(ratePattern, func(m []int) Mention { return Mention{Kind: Rate} })
	x.each(amountPattern, x.amount)
	x.each(percentPattern, func(m []int) Mention {
		return Mention{Kind: Percent, Value: x.float(m[2], m[3]), Unit: "%"}
	})
	x.each(ratioPattern, x.ratio)
	x.each(durationPattern, x.duration)
	x.each(countPattern, x.count)
	x.each(docNoPattern, func(m []int) Mention { return Mention{Kind: Reference} })
	x.each(titleRefPattern, func(m []int) Mention { return Mention{Kind: Reference} })
	if vocab != nil {
		x.terms(vocab.Deferrals, Reference)
		x.terms(vocab.Groups, Group)
	}
	sort.Slice(x.found, func(i, j int) bool { return x.found[i].Start < x.found[j].Start })
	return x.found
}

// extractor accumulates non-overlapping mentions of one sentence.
type extractor struct {
	text  string
	found []Mention
}

// free reports whether start:end overlaps no mention of the same layer.
// Figures and terms are separate layers: 离校2年内未就业高校毕业生 is a group
// and holds the duration 2年内.
func (x *extractor) free(start, end int, figure bool) bool {
	for _, m := range x.found {
		if m.IsFigure() == figure && start < m.End && m.Start < end {
			return false
		}
	}
	return true
}

func (x *extractor) add(m Mention, start, end int) {
	m.Start, m.End, m.Text = start, end, x.text[start:end]
	x.found = append(x.found, m)
}

// each adds a mention for every free match of re, built by mk from the
// submatch indexes; mk may return a zero Kind to reject a match.
func (x *extractor) each(re *regexp.Regexp, mk func(m []int) Mention) {
	for _, m := range re.FindAllStringSubmatchIndex(x.text, -1) {
		mention := mk(m)
		if mention.Kind != "" && x.free(m[0], m[1], mention.IsFigure()) {
			x.add(mention, m[0], m[1])
		}
	}
}

func (x *extractor) terms(terms []string, kind MentionKind) {
	for _, t := range terms {
		for off := 0; ; {
			i := strings.Index(x.text[off:], t)
			if i < 0 {
				break
			}
			start, end := off+i, off+i+len(t)
			if x.free(start, end, false) {
				x.add(Mention{Kind: kind}, start, end)
			}
			off = end
		}
	}
}

func (x *extractor) sub(m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return x.text[m[2*i]:m[2*i+1]]
}

func (x *extractor) float(start, end int) float64 {
	if start < 0 {
		return 0
	}
	v, _ := strconv.ParseFloat(x.text[start:end], 64)
	return v
}

var multiplier = map[string]float64{"": 1, "千": 1e3, "万": 1e4, "亿": 1e8}

func (x *extractor) amount(m []int) Mention {
	k := multiplier[x.sub(m, 4)]
	mention := Mention{Kind: Amount, Value: x.float(m[4], m[5]) * k, Unit: "元" + x.sub(m, 5)}
	if hi := x.sub(m, 3); hi != "" {
		mention.Max = x.float(m[6], m[7]) * k
	}
	mention.Qualifier = x.sub(m, 1) + x.sub(m, 6)
	return mention
}

func (x *extractor) ratio(m []int) Mention {
	n, _ := strconv.ParseFloat(x.sub(m, 1), 64)
	d, _ := strconv.ParseFloat(x.sub(m, 2), 64)
	if d == 0 || n >= d {
		return Mention{}
	}
	return Mention{Kind: Ratio, Value: n / d}
}

func (x *extractor) duration(m []int) Mention {
	v, _ := strconv.ParseFloat(x.sub(m, 2), 64)
	unit := strings.TrimPrefix(x.sub(m, 3), "个")
	if unit == "年" && v >= 1900 { // 2022年 is a year, not two thousand years
		return Mention{}
	}
	return Mention{Kind: Duration, Value: v, Unit: unit, Qualifier: x.sub(m, 1) + x.sub(m, 4)}
}

func (x *extractor) count(m []int) Mention {
	if strings.HasPrefix(x.text[m[1]:], "员") { // 4050人员 is a group, not 4050 people
		return Mention{}
	}
	v := x.float(m[2], m[3]) * multiplier[x.sub(m, 2)]
	return Mention{Kind: Count, Value: v, Unit: x.sub(m, 3), Qualifier: x.sub(m, 4)}
}

func (x *extractor) dates() {
	x.each(datePattern, func(m []int) Mention {
		d, ok := ymd(x.sub(m, 1), x.sub(m, 2), x.sub(m, 3))
		if !ok {
			return Mention{}
		}
		return Mention{Kind: Date, From: d, To: d}
	})
}

func (x *extractor) periods() {
	x.each(periodPattern, func(m []int) Mention {
		from, ok1 := ymd(x.sub(m, 1), x.sub(m, 2), x.sub(m, 3))
		year := x.sub(m, 4)
		if year == "" {
			year = x.sub(m, 1)
		}
		to, ok2 := ymd(year, x.sub(m, 5), x.sub(m, 6))
		if !ok1 || !ok2 || to.Before(from) {
			return Mention{}
		}
		return Mention{Kind: Period, From: from, To: to}
	})
}

// ymd builds a date and rejects impossible ones (2月30日).
func ymd(y, m, d string) (time.Time, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	return t, t.Year() == yi && int(t.Month()) == mi && t.Day() == di
}
