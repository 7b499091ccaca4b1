package retrieval_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"policybot/corpus"
	"policybot/retrieval"
)

// A table defines each word once: a second definition would be silently
// shadowed by the first. Single characters are too vague to map.
func TestLoadTablesRejects(t *testing.T) {
	scope := &fstest.MapFile{Data: []byte("places: []\ntopics: []\ninjection: []\n")}
	good := "稳岗补贴\t稳岗返还\n"
	goodEN := "subsidy\t补贴\n"
	for name, tc := range map[string]struct{ synonyms, glossary, want string }{
		"synonym twice":    {"稳岗补贴\t稳岗返还\n大学生\t高校毕业生\n稳岗补贴\t稳岗\n", goodEN, `"稳岗补贴" is defined already on line 1`},
		"glossary twice":   {good, "incubator\t创业孵化基地\nsubsidy\t补贴\nincubator\t孵化\n", `"incubator" is defined already on line 1`},
		"same stem twice":  {good, "hire\t吸纳\nhiring\t招用\n", `"hiring" is defined already on line 1`},
		"single character": {"招\t吸纳|招用\n", goodEN, `"招" is a single character`},
		"one column":       {"稳岗补贴\n", goodEN, "want two tab-separated columns"},
	} {
		fsys := fstest.MapFS{
			retrieval.SynonymsFile: {Data: []byte(tc.synonyms)},
			retrieval.GlossaryFile: {Data: []byte(tc.glossary)},
			retrieval.ScopeFile:    scope,
		}
		if _, err := retrieval.LoadTables(fsys); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %s", name, err, tc.want)
		}
	}
	if _, err := retrieval.LoadTables(corpus.Embedded()); err != nil {
		t.Errorf("the embedded tables: %v", err)
	}
}
