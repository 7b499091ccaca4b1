package answers

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"policybot/retrieval"
)

// glossary maps English words to the notice's words, as retrieval reads
// English questions; verification reads English answers with it.
type glossary []term

// term is an English word or phrase, as lower-case words, and the notice's
// words it stands for.
type term struct {
	words []string
	zh    []string
}

// loadGlossary reads the corpus's English glossary: an English word or
// phrase, a tab, then the notice's words separated by |.
func loadGlossary(fsys fs.FS) (glossary, error) {
	data, err := fs.ReadFile(fsys, retrieval.GlossaryFile)
	if err != nil {
		return nil, fmt.Errorf("load glossary: %w", err)
	}
	var g glossary
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		en, zh, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" {
			return nil, fmt.Errorf("load glossary: line %d: want two tab-separated columns", n)
		}
		g = append(g, term{words: latinWords(strings.ToLower(en)), zh: strings.Split(strings.TrimSpace(zh), "|")})
	}
	return g, nil
}

var latinWord = regexp.MustCompile(`[a-z]+(?:['-][a-z]+)*`)

func latinWords(s string) []string { return latinWord.FindAllString(s, -1) }

// grounded reports whether the English words name something the notice
// text says: a glossary term whose notice words appear in it. Plurals and
// the like are matched by the English word's stem (graduates → graduate).
func (g glossary) grounded(words []string, text string) bool {
	for _, t := range g {
		if !containsRun(words, t.words) {
			continue
		}
		for _, z := range t.zh {
			if strings.Contains(text, z) {
				return true
			}
		}
	}
	return false
}

// containsRun reports whether run occurs in words, word by word, each
// compared by stem.
func containsRun(words, run []string) bool {
	if len(run) == 0 {
		return false
	}
	for i := 0; i+len(run) <= len(words); i++ {
		ok := true
		for j, w := range run {
			if stem(words[i+j]) != stem(w) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// stem strips the English endings that change a word's form, not its
// meaning, enough to match graduate/graduates, subsidy/subsidies,
// hire/hiring/hired.
func stem(w string) string {
	for _, suffix := range []string{"ies", "ing", "ed", "es", "s"} {
		if len(w) > len(suffix)+2 && strings.HasSuffix(w, suffix) {
			w = strings.TrimSuffix(w, suffix)
			if suffix == "ies" {
				w += "y"
			}
			break
		}
	}
	return strings.TrimSuffix(w, "e")
}
