package kb

import (
	"strings"
	"testing"
	"unicode/utf8"

	"policybot/corpus"
)

// newTestSegmenter is the segmenter of the embedded corpus with a few
// policy terms, as retrieval builds it.
func newTestSegmenter(t testing.TB) *Segmenter {
	t.Helper()
	s, err := NewSegmenter(corpus.Embedded(), []string{"一次性吸纳就业补贴", "失业保险", "创业担保贷款"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// lookupsOf counts the dictionary lookups Terms makes for text.
func lookupsOf(s *Segmenter, text string) (lookups, runes int) {
	for _, w := range s.Cut(text) {
		r := []rune(w)
		runes += len(r)
		if len(r) > 2 {
			s.inner(r, func(w string) bool { lookups++; return s.inDict(w) })
		}
	}
	return lookups, runes
}

// TestInnerLookupsBounded checks that looking inside words costs at most
// the dictionary's longest word in lookups per character, whatever the
// characters: a 999-letter "word" once cost half a million lookups and a
// second of CPU.
func TestInnerLookupsBounded(t *testing.T) {
	s := newTestSegmenter(t)
	if s.longest < 4 || s.longest > 64 {
		t.Fatalf("longest dictionary word has %d characters; want the dictionary's (about 15)", s.longest)
	}
	for name, text := range map[string]string{
		"latin":      strings.Repeat("abcdefghij", 100),
		"digits":     strings.Repeat("1234567890", 100),
		"full-width": strings.Repeat("ａｂｃ１２３ＸＹＺ", 111),
		"mixed":      strings.Repeat("补贴a1就业ｂ２😀", 125),
		"han":        strings.Repeat("一次性吸纳就业补贴失业保险创业担保贷款", 55),
	} {
		lookups, runes := lookupsOf(s, text)
		if lookups > runes*s.longest {
			t.Errorf("%s: %d lookups for %d characters; want at most %d per character", name, lookups, runes, s.longest)
		}
	}
}

// TestInnerFindsWordsInsideHan checks that bounding the lookups kept what
// they are for: the words and pairs inside a long Chinese word.
func TestInnerFindsWordsInsideHan(t *testing.T) {
	s := newTestSegmenter(t)
	var got []string
	for _, term := range s.Terms("一次性吸纳就业补贴") {
		got = append(got, term.Text)
	}
	for _, want := range []string{"一次性吸纳就业补贴", "吸纳", "就业", "补贴", "一次性"} {
		if !strings.Contains(" "+strings.Join(got, " ")+" ", " "+want+" ") {
			t.Errorf("Terms(一次性吸纳就业补贴) = %v, want %s among them", got, want)
		}
	}
}

// FuzzTerms looks for the input that costs the segmenter most: whatever
// the text, Terms makes at most the dictionary's longest word in lookups
// per character, and returns terms made of the text's characters (a pair
// may join two characters that punctuation separated).
func FuzzTerms(f *testing.F) {
	s := newTestSegmenter(f)
	for _, seed := range []string{
		"我们公司招了3个应届生，有什么补贴？", strings.Repeat("a", 999), strings.Repeat("9", 999),
		"ＡＢＣ１２３补贴", "一次性吸纳就业补贴abc一次性", "😀补贴😀", "I hired 3 graduates",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || utf8.RuneCountInString(text) > 1000 {
			return
		}
		lookups, runes := lookupsOf(s, text)
		if lookups > runes*s.longest {
			t.Fatalf("%d lookups for %d characters of %q", lookups, runes, text)
		}
		lower := strings.ToLower(text)
		for _, term := range s.Terms(text) {
			if term.Text == "" || term.Boost <= 0 {
				t.Fatalf("Terms(%q) has an empty or weightless term %+v", text, term)
			}
			for _, r := range term.Text {
				if !strings.ContainsRune(lower, r) {
					t.Fatalf("Terms(%q) has %q, whose %q is not in the text", text, term.Text, r)
				}
			}
		}
	})
}
