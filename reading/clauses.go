package reading

import (
	"policybot/zh"
	"slices"
	"strings"
)

// clause is a stretch between breaks (，。？…): the unit of a question. Its
// scopes end at turns (但是, 而) too: the unit of a negation or a hedge.
type clause struct {
	span
	question bool
	topic    bool // it ends in a topic particle (低保嘛): it names, it does not tell
	scopes   []span
}

// clauses splits a normalized message at its breaks, and each clause into
// scopes at its turns; a clause is a question when it has a question mark,
// a question word, an either-or (有没有), or ends in 吗.
func (r *Reader) clauses(t *text) []clause {
	c := r.cues
	breaks := r.breaks(t)
	turns := t.findAll(c.Scope.Turns)
	words := t.findAll(append(append(append([]string{}, c.Question.Words...), c.Negation.Alternatives...), c.Question.Asking...))
	indefinite := t.findAll(c.Question.Indefinite)
	words = slices.DeleteFunc(words, func(w span) bool { return overlapsAny(indefinite, w) })
	var out []clause
	start := 0
	for i := 0; i <= len(breaks); i++ {
		end, mark := len(t.runes), ""
		if i < len(breaks) {
			end, mark = breaks[i].start, t.slice(breaks[i])
		}
		cl := clause{span: span{start, end}}
		if i < len(breaks) {
			start = breaks[i].end
		}
		if strings.TrimSpace(string(t.runes[cl.start:cl.end])) == "" {
			continue
		}
		cl.question = slices.Contains(c.Question.Marks, mark)
		for _, w := range words {
			if cl.span.contains(w) || cl.span == w {
				cl.question = true
			}
		}
		body := strings.TrimRightFunc(string(t.runes[cl.start:cl.end]), isMark)
		for _, e := range c.Question.Endings {
			if strings.HasSuffix(body, e) {
				cl.question = true
			}
		}
		for _, e := range c.Question.Topics {
			if strings.HasSuffix(body, e) {
				cl.topic = true
			}
		}
		s := cl.start
		for _, tn := range turns {
			if tn.start >= cl.start && tn.end <= cl.end {
				if tn.start > s {
					cl.scopes = append(cl.scopes, span{s, tn.start})
				}
				s = tn.end
			}
		}
		cl.scopes = append(cl.scopes, span{s, cl.end})
		out = append(out, cl)
	}
	return out
}

// where finds the clause and scope a mention is in.
func where(clauses []clause, s span) (clause, span) {
	for _, cl := range clauses {
		if s.start >= cl.start && s.start < cl.end {
			for _, sc := range cl.scopes {
				if s.start >= sc.start && s.start < sc.end {
					return cl, sc
				}
			}
			return cl, cl.span
		}
	}
	return clause{span: s}, s
}

func hasIn(list []span, within span) bool {
	for _, s := range list {
		if s.start >= within.start && s.end <= within.end {
			return true
		}
	}
	return false
}

// breaks finds where clauses end: the marks of scope.breaks and, with
// scope.han_space, a space between two Chinese characters.
func (r *Reader) breaks(t *text) []span {
	out := t.findAll(r.cues.Scope.Breaks)
	if !r.cues.Scope.HanSpace {
		return out
	}
	for i := 1; i+1 < len(t.runes); i++ {
		if t.runes[i] == ' ' && zh.IsHan(t.runes[i-1]) && zh.IsHan(t.runes[i+1]) {
			out = append(out, span{i, i + 1})
		}
	}
	sortSpans(out)
	return out
}
