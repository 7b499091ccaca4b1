package evaluation

import (
	"context"
	"fmt"

	"policybot/answers"
)

// AskAnswerer adapts the extractive answerer: the reply as a user reads it
// (with the 【】 figure marks removed) and the cited clauses.
func AskAnswerer(a *answers.Answerer) Asker {
	return func(ctx context.Context, q string) (Outcome, error) {
		ans, err := a.Ask(ctx, q)
		if err != nil {
			return Outcome{}, fmt.Errorf("answer: %w", err)
		}
		out := Outcome{Status: string(ans.Status), Reply: answers.Unhighlight(a.Replies().Text(ans))}
		for _, c := range ans.Citations() {
			out.Clauses = append(out.Clauses, c.Clause)
		}
		return out, nil
	}
}
