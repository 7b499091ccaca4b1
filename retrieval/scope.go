package retrieval

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Thresholds for a question's evidence. Scores are BM25 sums; these were
// set on the tuned sets (evaluation/testdata/questions*.jsonl) and are checked by it.
const (
	// A question with a single policy word must be mostly policy words;
	// with two or more, chatter around them is fine.
	minCoverageOneAnchor = 0.3
	// A best match this strong is evidence enough for a question with one
	// policy word among many the corpus does not know (minimum pay for
	// couriers / delivery riders): no out-of-scope question of the tuned
	// sets reaches 0.2.
	strongMatch = 0.3
)

// scopeCheck decides when the corpus does not answer a question.
type scopeCheck struct {
	places, topics, injection, home []*pattern
	goesTo, worksThere              []string
}

// pattern is an entry of scope.yaml: a Chinese one matches as a substring,
// found with strings.Index (every question is checked against hundreds of
// them), a Latin one as a word, with a regexp.
type pattern struct {
	literal string         // the substring, when re is nil
	re      *regexp.Regexp // \bword\b for Latin entries
	expr    string         // the pattern as a regexp, for reasons
}

func (p *pattern) String() string { return p.expr }

// MatchString reports whether s holds the pattern.
func (p *pattern) MatchString(s string) bool {
	if !strings.Contains(s, p.literal) {
		return false // a word is a substring first
	}
	return p.re == nil || p.re.MatchString(s)
}

// FindAllStringIndex returns where the pattern occurs in s, left to right,
// not overlapping, as regexp's does.
func (p *pattern) FindAllStringIndex(s string, n int) [][]int {
	if p.re != nil {
		return p.re.FindAllStringIndex(s, n)
	}
	var out [][]int
	for at := 0; at <= len(s); {
		i := strings.Index(s[at:], p.literal)
		if i < 0 {
			break
		}
		out = append(out, []int{at + i, at + i + len(p.literal)})
		at += i + len(p.literal)
	}
	return out
}

func newScopeCheck(s Scope) *scopeCheck {
	return &scopeCheck{places: compile(s.Places), topics: compile(s.Topics), injection: compile(s.Injection),
		home: compile(s.Home), goesTo: s.GoesTo, worksThere: s.WorksThere}
}

// compile matches Chinese entries as substrings and Latin ones as words.
func compile(words []string) []*pattern {
	var out []*pattern
	for _, w := range words {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		p := &pattern{literal: w, expr: regexp.QuoteMeta(w)}
		if isLatin(w) {
			p.expr = `\b` + p.expr + `\b`
			p.re = regexp.MustCompile(p.expr)
		}
		out = append(out, p)
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
		res  []*pattern
	}{{"instructions to the bot", s.injection}, {"another topic", s.topics}} {
		for _, re := range group.res {
			if re.MatchString(q) {
				return group.name + ": " + re.String()
			}
		}
	}
	return ""
}

// otherPlace returns the other region a question asks about, or "". A
// place asked about is one named as the subject (北京应届毕业生补贴多少, 我在成都
// 能享受吗); a place a person goes to or comes from (去外省打工, 从四川回来),
// or any place in a question that also names the corpus's own region, is
// where the person is, and the notice may well cover them.
func (s *scopeCheck) otherPlace(q string) string {
	for _, re := range s.home {
		if re.MatchString(q) {
			return ""
		}
	}
	for _, re := range s.places {
		for _, loc := range re.FindAllStringIndex(q, -1) {
			before, after := q[:loc[0]], q[loc[1]:]
			moving := slices.ContainsFunc(s.goesTo, func(w string) bool { return strings.HasSuffix(before, w) }) ||
				slices.ContainsFunc(s.worksThere, func(w string) bool { return strings.HasPrefix(after, w) })
			if !moving {
				return q[loc[0]:loc[1]]
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
	case len(q.anchors) == 1 && c < minCoverageOneAnchor && hits[0].Score < strongMatch && !q.speaksOf(hits):
		return fmt.Sprintf("one policy word (%s) among words the corpus does not know (%s)", q.anchors[0], strings.Join(q.unknown, " "))
	}
	return ""
}
