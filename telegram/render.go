package telegram

import (
	"regexp"
	"strings"

	"policybot/answers"
	"policybot/bot"
)

// style is how a run of text is shown.
type style uint8

const (
	plain  style = iota
	bold         // figures, benefit names, headings
	italic       // the citation under a quote
)

// run is a stretch of text in one style.
type run struct {
	text  string
	style style
}

// line is one line of a reply.
type line []run

// marks are the HTML tags around a run of the style.
func (s style) marks() (opening, closing string) {
	switch s {
	case bold:
		return "<b>", "</b>"
	case italic:
		return "<i>", "</i>"
	}
	return "", ""
}

// document is a reply as styled lines. The text is the engine's own, line
// for line; the structured reply says what to emphasise: the quote is
// rebuilt from its sentences with their figures in bold (answers.Spans),
// the citation under it set in italics; in results, the benefits and their
// amounts are bold; and what the engine marked 【thus】 for plain-text
// channels (figures, headings) is bold without the marks.
func document(r *bot.Reply) []line {
	quote, quoted := quoteLine(r.Answer())
	names, amounts := map[string]bool{}, []string{}
	for _, res := range r.Results {
		names[res.Benefit] = true
		if res.Amount != "" {
			amounts = append(amounts, res.Amount)
		}
	}
	var out []line
	citation := false
	for _, text := range strings.Split(r.Reply, "\n") {
		switch {
		case quoted && text == quote.plain:
			out = append(out, quote.runs)
			citation = true
			continue
		case citation:
			out = append(out, line{{text, italic}})
		case strings.Contains(text, "【"):
			out = append(out, marked(text))
		default:
			out = append(out, result(text, names, amounts))
		}
		citation = false
	}
	return out
}

// quote is an answer's quote line as the engine writes it and as styled runs.
type quote struct {
	plain string
	runs  line
}

// quoteLine rebuilds the line the engine quotes an answer with
// (answers.Replies.Text): the main quote's sentences, figures marked where
// they are current (answers.QuoteSpans), in quotation marks.
func quoteLine(a *answers.Answer) (quote, bool) {
	if a == nil || a.Status != answers.Answered || len(a.Quotes) == 0 {
		return quote{}, false
	}
	runs := line{{text: "“"}}
	for _, sp := range answers.QuoteSpans(a) {
		st := plain
		if sp.Figure {
			st = bold
		}
		runs = append(runs, run{sp.Text, st})
	}
	runs = append(runs, run{text: "”"})
	return quote{plain: "“" + answers.QuoteLine(a) + "”", runs: runs}, true
}

// marked styles what 【】 marks as bold, dropping the marks.
func marked(text string) line {
	var out line
	for text != "" {
		open := strings.Index(text, "【")
		if open < 0 {
			break
		}
		end := strings.Index(text[open:], "】")
		if end < 0 {
			break
		}
		out = append(out, run{text: text[:open]}, run{text[open+len("【") : open+end], bold})
		text = text[open+end+len("】"):]
	}
	return append(out, run{text: text})
}

// numbered is a result's first line: "3. 一次性吸纳就业补贴".
var numbered = regexp.MustCompile(`^(\s*\d+\.\s+)(.+)$`)

// result styles a line of an eligibility result: the benefit's name in its
// numbered line, and an amount that ends a line.
func result(text string, names map[string]bool, amounts []string) line {
	if m := numbered.FindStringSubmatch(text); m != nil && names[m[2]] {
		return line{{text: m[1]}, {m[2], bold}}
	}
	for _, a := range amounts {
		if head, ok := strings.CutSuffix(text, a); ok {
			return line{{text: head}, {a, bold}}
		}
	}
	return line{{text: text}}
}
