package retrieval

import (
	"sync"

	"policybot/kb"
)

// termCache keeps the analysis of strings that come from a fixed set (the
// words of the tables and of the corpus), never a question's own text, so
// it grows no larger than that set.
type termCache struct{ m sync.Map } // string → []kb.Term

// of returns analyse(s), analysing s only the first time. The terms
// returned are shared: callers only read them.
func (c *termCache) of(s string, analyse func(string) []kb.Term) []kb.Term {
	if v, ok := c.m.Load(s); ok {
		return v.([]kb.Term)
	}
	terms := analyse(s)
	c.m.Store(s, terms)
	return terms
}
