// Package kbtest makes corpora for tests and benchmarks.
package kbtest

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"
	"unicode/utf8"

	"policybot/kb"
)

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八"}

// Sizes of a generated notice and of its own vocabulary.
const (
	topicWords    = 400 // words a notice is about, drawn for it alone
	sentencesLow  = 2   // sentences a clause has, at least
	sentencesHigh = 6
	wordsLow      = 8 // words a sentence has, at least
	wordsHigh     = 24
	topicShare    = 0.6 // of a sentence's words, those of the notice's topics
)

// Generate returns a corpus of n notices written for it: each has three
// parts of six clauses, titled and worded in a vocabulary of its own (topic
// words drawn for it from the general dictionary, segmenter.dict of base,
// beside the words every notice uses: the frequent ones, and the policy
// words of the real notices), so the index's vocabulary grows with the
// number of notices as that of a real collection does. Figures, groups
// and dates are sprinkled in as notices state them. The same n always
// gives the same corpus. The shared tables come from base; its notices are
// left out.
func Generate(base fs.FS, n int) (fs.FS, error) {
	real, err := kb.Load(base)
	if err != nil {
		return nil, err
	}
	dict, err := fs.ReadFile(base, kb.SegmenterDictFile)
	if err != nil {
		return nil, err
	}
	lex := newLexicon(dict, real)
	files := fstest.MapFS{}
	err = fs.WalkDir(base, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".meta.yaml") ||
			strings.HasSuffix(p, ".rules.yaml") || strings.HasSuffix(p, ".currency.yaml") {
			return err
		}
		data, err := fs.ReadFile(base, p)
		files[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range n {
		id := fmt.Sprintf("gen-%04d", i)
		files[id+".txt"] = &fstest.MapFile{Data: []byte(lex.notice(i))}
		files[id+".meta.yaml"] = &fstest.MapFile{Data: []byte("id: " + id + "\n")}
	}
	return files, nil
}

// lexicon is what generated notices are written with.
type lexicon struct {
	general []string // the dictionary's words of two to four characters, most frequent first
	common  []string // the most frequent of them: every notice's function words
	policy  []string // the real notices' groups and benefit names
}

func newLexicon(dict []byte, real *kb.Corpus) *lexicon {
	type entry struct {
		word string
		freq float64
	}
	var entries []entry
	sc := bufio.NewScanner(bytes.NewReader(dict))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		n := utf8.RuneCountInString(f[0])
		freq, err := strconv.ParseFloat(f[1], 64)
		if err != nil || n < 2 || n > 4 {
			continue
		}
		entries = append(entries, entry{f[0], freq})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].freq > entries[j].freq })
	l := &lexicon{}
	for _, e := range entries {
		l.general = append(l.general, e.word)
	}
	l.common = l.general[:min(300, len(l.general))]
	l.policy = append(l.policy, real.Vocabulary.Groups...)
	for _, rs := range real.Rules {
		for _, r := range rs.Rules {
			l.policy = append(l.policy, r.Core())
		}
	}
	return l
}

// notice writes notice i.
func (l *lexicon) notice(i int) string {
	r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
	// The notice's topics: words of the general dictionary, most of them
	// rare, drawn for this notice.
	topics := make([]string, topicWords)
	for k := range topics {
		topics[k] = l.general[300+r.IntN(len(l.general)-300)]
	}
	word := func() string {
		switch x := r.Float64(); {
		case x < topicShare:
			return topics[int(float64(len(topics))*r.Float64()*r.Float64())] // a few topics dominate
		case x < topicShare+0.1:
			return l.policy[r.IntN(len(l.policy))]
		default:
			return l.common[r.IntN(len(l.common))]
		}
	}
	figure := func() string {
		switch r.IntN(5) {
		case 0:
			return fmt.Sprintf("%d元", (1+r.IntN(50))*100)
		case 1:
			return fmt.Sprintf("%d%%", 1+r.IntN(90))
		case 2:
			return fmt.Sprintf("%d个月", 1+r.IntN(24))
		case 3:
			return fmt.Sprintf("最高%d万元", 1+r.IntN(300))
		}
		return fmt.Sprintf("%d人", 1+r.IntN(500))
	}
	sentence := func() string {
		var sb strings.Builder
		n := wordsLow + r.IntN(wordsHigh-wordsLow+1)
		for k := range n {
			sb.WriteString(word())
			switch {
			case k == n/2 && r.IntN(2) == 0:
				sb.WriteString(figure())
			case k > 0 && k < n-1 && r.IntN(6) == 0:
				sb.WriteString("，")
			}
		}
		sb.WriteString("。")
		return sb.String()
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "重庆市第%d区%s%s关于%s%s的通知\n\n", i, topics[0], topics[1], topics[2], topics[3])
	for p := range 3 {
		fmt.Fprintf(&sb, "%s、%s%s\n\n", numerals[p], topics[r.IntN(20)], topics[r.IntN(len(topics))])
		for k := range 6 {
			fmt.Fprintf(&sb, "（%s）%s%s。", numerals[p*6+k], word(), topics[r.IntN(len(topics))])
			for range sentencesLow + r.IntN(sentencesHigh-sentencesLow+1) {
				sb.WriteString(sentence())
			}
			sb.WriteString("\n\n")
		}
	}
	fmt.Fprintf(&sb, " 2023年%d月%d日\n", i%12+1, i%28+1)
	return sb.String()
}
