package evaluation

import (
	"context"
	"fmt"
	"regexp"

	"policybot/answers"
)

// marked finds the figures a plain-text reply marks with 【】.
var marked = regexp.MustCompile(`【([^【】]+)】`)

// AskAnswerer adapts the extractive answerer: the reply as a user reads it
// (with the 【】 figure marks removed), the figures its quote marks, whether it says
// the figure asked for is not stated, and the cited clauses.
func AskAnswerer(a *answers.Answerer) Asker {
	return func(ctx context.Context, q string) (Outcome, error) {
		ans, err := a.Ask(ctx, q)
		if err != nil {
			return Outcome{}, fmt.Errorf("answer: %w", err)
		}
		text := a.Replies().Text(ans)
		// A figure the notice does not state is said unstated, or given by the
		// later document that now sets it (the registry's line leads).
		out := Outcome{Status: string(ans.Status), Reply: answers.Unhighlight(text),
			Unstated: ans.NotStated || ans.Later.Stale() && len(ans.Later.Measures) > 0}
		// The figures marked in the notice's quote: a later document's line
		// of the registry marks its own figures, which are today's answer.
		if ans.Status == answers.Answered && len(ans.Quotes) > 0 {
			for _, m := range marked.FindAllStringSubmatch(answers.QuoteLine(ans), -1) {
				out.Marked = append(out.Marked, m[1])
			}
		}
		for _, c := range ans.Citations() {
			out.Clauses = append(out.Clauses, c.Clause)
		}
		return out, nil
	}
}
