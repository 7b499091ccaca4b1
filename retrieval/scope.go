package retrieval

import (
	"fmt"
	"regexp"
	"strings"
)

// Thresholds for a question's evidence. Scores are BM25 sums; these were
// set on the evaluation set (eval/questions.jsonl) and are checked by it.
const (
	// A question with a single policy word must be mostly policy words;
	// with two or more, chatter around them is fine.
	minCoverageOneAnchor = 0.3
)

// scopeCheck decides when the corpus does not answer a question.
type scopeCheck struct {
	places, topics, injection []*regexp.Regexp
}

func newScopeCheck(s Scope) *scopeCheck {
	return &scopeCheck{places: compile(s.Places), topics: compile(s.Topics), injection: compile(s.Injection)}
}

// compile matches Chinese entries as substrings and Latin ones as words.
func compile(words []string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		p := regexp.QuoteMeta(w)
		if isLatin(w) {
			p = `\b` + p + `\b`
		}
		out = append(out, regexp.MustCompile(p))
	}
	return out
}

func isLatin(s string) bool {
	for _, r := range s {
		if r > 127 {
			return false
		}
	}
	return true
}

// offTopic names the reason a question is about something the corpus
// does not cover, or returns "".
func (s *scopeCheck) offTopic(q string) string {
	for _, group := range []struct {
		name string
		res  []*regexp.Regexp
	}{{"instructions to the bot", s.injection}, {"another place", s.places}, {"another topic", s.topics}} {
		for _, re := range group.res {
			if re.MatchString(q) {
				return group.name + ": " + re.String()
			}
		}
	}
	return ""
}

// weak names the reason the best match is too weak to be an answer, or "".
func (s *scopeCheck) weak(hits []Hit, q query) string {
	if len(hits) == 0 {
		return "no clause matches"
	}
	switch c := q.coverage(); {
	case len(q.anchors) == 0:
		return "no policy words (unknown: " + strings.Join(q.unknown, " ") + ")"
	case len(q.anchors) == 1 && c < minCoverageOneAnchor:
		return fmt.Sprintf("one policy word (%s) among words the corpus does not know (%s)", q.anchors[0], strings.Join(q.unknown, " "))
	}
	return ""
}
