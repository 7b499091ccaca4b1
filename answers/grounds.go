package answers

import (
	"maps"
	"math"
	"strings"
	"time"

	"policybot/kb"
	"policybot/zh"
)

// grounds is what some sources state, indexed for checking a phrased
// sentence: every figure in a form that compares, every number however it
// appears, the clause numbers, and the Chinese character pairs.
type grounds struct {
	amounts   map[float64]bool
	percents  map[float64]bool
	ratios    map[float64]bool
	durations map[string]bool // "月6", "天30"
	rates     map[float64]bool
	dates     map[time.Time]bool
	months    map[[2]int]bool // year, month
	monthDays map[[2]int]bool // month, day
	numbers   map[float64]bool
	clauses   map[int]bool
	bigrams   map[string]bool
	people    map[float64]bool // counts the question states, which a sentence may repeat
	text      string           // the sources' text, folded, for glossary terms
}

func newGrounds() *grounds {
	return &grounds{
		amounts: map[float64]bool{}, percents: map[float64]bool{}, ratios: map[float64]bool{},
		durations: map[string]bool{}, rates: map[float64]bool{}, dates: map[time.Time]bool{},
		months: map[[2]int]bool{}, monthDays: map[[2]int]bool{}, numbers: map[float64]bool{},
		clauses: map[int]bool{}, bigrams: map[string]bool{}, people: map[float64]bool{},
	}
}

// merge adds what other states.
func (g *grounds) merge(other *grounds) {
	for _, p := range []struct{ to, from map[float64]bool }{
		{g.amounts, other.amounts}, {g.percents, other.percents}, {g.ratios, other.ratios},
		{g.rates, other.rates}, {g.numbers, other.numbers}, {g.people, other.people},
	} {
		maps.Copy(p.to, p.from)
	}
	maps.Copy(g.durations, other.durations)
	maps.Copy(g.dates, other.dates)
	maps.Copy(g.months, other.months)
	maps.Copy(g.monthDays, other.monthDays)
	maps.Copy(g.clauses, other.clauses)
	maps.Copy(g.bigrams, other.bigrams)
	g.text += other.text
}

// add records what a source states: its sentence and its clause's title,
// the clause number and the date the notice was issued.
func (g *grounds) add(r figureReader, s Source) {
	for _, f := range r.figures(s.Title + "。" + s.Text) {
		g.addFigure(f)
	}
	if n, ok := clauseNumber(s.Clause); ok {
		g.clauses[n] = true
		g.numbers[float64(n)] = true
	}
	if !s.Issued.IsZero() {
		g.addDate(s.Issued)
	}
	folded := r.folder.Fold(s.Doc + "。" + s.Title + "。" + s.Text)
	g.text += folded + "\n"
	for b := range hanBigrams(folded) {
		g.bigrams[b] = true
	}
}

func (g *grounds) addFigure(f figure) {
	g.numbers[key(f.Value)] = true
	if f.Max != 0 {
		g.numbers[key(f.Max)] = true
	}
	switch f.Kind {
	case kb.Amount:
		g.amounts[key(f.Value)] = true
		if f.Max != 0 {
			g.amounts[key(f.Max)] = true
		}
	case kb.Percent:
		g.percents[key(f.Value)] = true
		if f.Max != 0 {
			g.percents[key(f.Max)] = true
		}
	case kb.Ratio:
		g.ratios[key(f.Value)] = true
		for _, part := range strings.Split(f.Text, "/") {
			if v, ok := parseNumber(part); ok {
				g.numbers[v] = true
			}
		}
	case kb.Duration:
		g.durations[f.Unit+formatNumber(f.Value)] = true
	case kb.Rate:
		g.rates[key(f.Value)] = true
		g.numbers[key(math.Abs(f.Value))] = true
	case kb.Date, kb.Period:
		g.addDate(f.From)
		g.addDate(f.To)
	case kindMonth:
		g.months[[2]int{f.From.Year(), int(f.From.Month())}] = true
		g.numbers[float64(f.From.Year())] = true
		g.numbers[float64(f.From.Month())] = true
	case kindMonthDay:
		g.monthDays[[2]int{int(f.From.Month()), f.From.Day()}] = true
		g.numbers[float64(f.From.Month())] = true
		g.numbers[float64(f.From.Day())] = true
	case kindClause:
		g.clauses[int(f.Value)] = true
	}
}

func (g *grounds) addDate(t time.Time) {
	if t.IsZero() {
		return
	}
	t = day(t)
	g.dates[t] = true
	g.months[[2]int{t.Year(), int(t.Month())}] = true
	g.monthDays[[2]int{int(t.Month()), t.Day()}] = true
	for _, n := range []int{t.Year(), int(t.Month()), t.Day()} {
		g.numbers[float64(n)] = true
	}
}

// supports reports whether the grounds state figure f. A percentage and a
// ratio of the same share support each other (50% and 1/2); the number one
// needs no support, as Chinese writes it for "a" (一次, 一名).
func (g *grounds) supports(f figure) bool {
	switch f.Kind {
	case kb.Amount:
		return g.amounts[key(f.Value)] && (f.Max == 0 || g.amounts[key(f.Max)])
	case kb.Percent:
		return (g.percents[key(f.Value)] || g.hasRatio(f.Value/100)) && (f.Max == 0 || g.percents[key(f.Max)])
	case kb.Ratio:
		return g.hasRatio(f.Value) || g.hasPercent(f.Value*100)
	case kb.Duration:
		return g.durations[f.Unit+formatNumber(f.Value)]
	case kb.Rate:
		return g.rates[key(f.Value)]
	case kb.Date:
		return g.dates[day(f.From)]
	case kb.Period:
		return g.dates[day(f.From)] && g.dates[day(f.To)]
	case kindMonth:
		return g.months[[2]int{f.From.Year(), int(f.From.Month())}]
	case kindMonthDay:
		return g.monthDays[[2]int{int(f.From.Month()), f.From.Day()}]
	case kindClause:
		return g.clauses[int(f.Value)]
	case kb.Count:
		return f.Value == 1 || g.numbers[key(f.Value)] || g.people[key(f.Value)]
	default: // counts and bare numbers
		return f.Value == 1 || g.numbers[key(f.Value)] || (f.Max != 0 && g.numbers[key(f.Max)])
	}
}

// shareTolerance is how close a percentage and a ratio must be to state the
// same share: 66.67% is 2/3, 66.7% is not.
const shareTolerance = 0.0001

func (g *grounds) hasRatio(v float64) bool {
	for r := range g.ratios {
		if math.Abs(r-v) < shareTolerance {
			return true
		}
	}
	return false
}

func (g *grounds) hasPercent(v float64) bool {
	for p := range g.percents {
		if math.Abs(p-v) < shareTolerance*100 {
			return true
		}
	}
	return false
}

// key rounds away float noise so equal figures are equal map keys.
func key(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func parseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	var v float64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		v = v*10 + float64(r-'0')
	}
	return v, true
}

// clauseNumber reads a clause number as printed: （三） → 3.
func clauseNumber(printed string) (int, bool) {
	n := strings.Trim(printed, "（）() ")
	if v, ok := parseNumber(n); ok {
		return int(v), true
	}
	if v, ok := zh.ParseNumber(n); ok {
		return int(v), true
	}
	return 0, false
}

// hanBigrams lists the pairs of adjacent Chinese characters in s.
func hanBigrams(s string) map[string]bool {
	out := map[string]bool{}
	var prev rune
	for _, r := range s {
		if zh.IsHan(r) && prev != 0 {
			out[string([]rune{prev, r})] = true
		}
		if zh.IsHan(r) {
			prev = r
		} else {
			prev = 0
		}
	}
	return out
}
