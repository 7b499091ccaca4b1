package kb

import "time"

// MentionKind says what a stretch of a sentence states.
type MentionKind string

// The kinds of things a sentence can state.
const (
	Amount    MentionKind = "amount"    // 2000元/人, 300万元, 5－500万元
	Percent   MentionKind = "percent"   // 1%, 50%, 15%
	Ratio     MentionKind = "ratio"     // 2/3
	Duration  MentionKind = "duration"  // 6个月以上, 2年内, 12个月
	Date      MentionKind = "date"      // 2023年4月30日
	Period    MentionKind = "period"    // 2022年1月1日至12月31日
	Group     MentionKind = "group"     // 高校毕业生, 脱贫人口
	Reference MentionKind = "reference" // 渝人社发〔2022〕9号, 实施细则另行制定
	Count     MentionKind = "count"     // 65万个, 10000个创业工位
	Rate      MentionKind = "rate"      // LPR－150BP
)

// Mention is one thing a sentence states, located by byte offsets into the
// sentence text.
type Mention struct {
	Kind  MentionKind `json:"kind"`
	Text  string      `json:"text"`
	Start int         `json:"start"`
	End   int         `json:"end"`
	// Value and Max hold the number (a range's bounds), in Unit.
	Value float64 `json:"value,omitempty"`
	Max   float64 `json:"max,omitempty"`
	Unit  string  `json:"unit,omitempty"` // 元, %, 月, 年, 人, 个 …
	// Qualifier keeps 以上/以下/内/最高/满 … that bound the figure.
	Qualifier string    `json:"qualifier,omitempty"`
	From      time.Time `json:"from,omitzero"`
	To        time.Time `json:"to,omitzero"`
}

// IsFigure reports whether the mention is a number a reader must get right.
func (m Mention) IsFigure() bool {
	switch m.Kind {
	case Amount, Percent, Ratio, Duration, Date, Period, Count, Rate:
		return true
	}
	return false
}
