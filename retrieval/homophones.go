package retrieval

import (
	"strings"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"policybot/zh"
)

// homophones finds the notice's words behind typing slips that sound the
// same: pinyin input makes 补帖 for 补贴, 社宝 for 社保, 创页 for 创业. Keys
// are toneless pinyin of the words the corpus uses.
type homophones struct {
	byPinyin map[string][]string
	args     pinyin.Args
}

const (
	minHomophoneRunes = 2
	maxHomophoneRunes = 4
	homophoneBoost    = 0.8
)

// newHomophones indexes words by sound: the corpus's words, not the
// character pairs inside them (绍补 of 介绍补贴 is no word).
func newHomophones(words map[string]bool) *homophones {
	h := &homophones{byPinyin: map[string][]string{}, args: pinyin.NewArgs()}
	for w := range words {
		n := utf8.RuneCountInString(w)
		if n < minHomophoneRunes || n > maxHomophoneRunes || !allHan(w) {
			continue
		}
		k := h.key(w)
		h.byPinyin[k] = append(h.byPinyin[k], w)
	}
	return h
}

func (h *homophones) key(s string) string {
	var parts []string
	for _, p := range pinyin.Pinyin(s, h.args) {
		if len(p) > 0 {
			parts = append(parts, p[0])
		}
	}
	return strings.Join(parts, " ")
}

// find returns expansions for stretches of q the segmenter left in single
// characters (a slip is no word, so 补帖 cuts as 补 帖) that are not words
// (known tells) but sound like words the corpus uses, skipping stretches
// already taken. Stretches across words the segmenter found are never
// slips: 多少补贴 holds no 绍补.
func (h *homophones) find(q string, cut []string, known func(string) bool, taken []expansion) []expansion {
	var out []expansion
	for _, run := range singleRuns(q, cut) {
		offs := run
		for i := 0; i < len(offs)-1; i++ {
			for n := maxHomophoneRunes; n >= minHomophoneRunes; n-- {
				if i+n >= len(offs) {
					continue
				}
				s, e := offs[i], offs[i+n]
				w := q[s:e]
				if !allHan(w) || overlaps(taken, s, e) || overlaps(out, s, e) {
					continue
				}
				if words := h.byPinyin[h.key(w)]; len(words) > 0 && !known(w) {
					out = append(out, expansion{start: s, end: e, to: words, boost: homophoneBoost, typo: true})
					break
				}
			}
		}
	}
	return out
}

// singleRuns finds the runs of two or more single-character words in the
// cut of q, each as the byte offsets of its characters and its end.
func singleRuns(q string, cut []string) [][]int {
	var runs [][]int
	var run []int
	flush := func(end int) {
		if len(run) > 1 {
			runs = append(runs, append(run, end))
		}
		run = nil
	}
	at, last := 0, 0
	for _, w := range cut {
		i := strings.Index(q[at:], w)
		if i < 0 {
			continue
		}
		s := at + i
		at = s + len(w)
		if utf8.RuneCountInString(w) == 1 && allHan(w) && (len(run) == 0 || s == last) {
			run = append(run, s)
			last = at
			continue
		}
		flush(last)
		if utf8.RuneCountInString(w) == 1 && allHan(w) {
			run = append(run, s)
		}
		last = at
	}
	flush(last)
	return runs
}

func overlaps(xs []expansion, s, e int) bool {
	for _, x := range xs {
		if s < x.end && x.start < e {
			return true
		}
	}
	return false
}

func allHan(s string) bool {
	for _, r := range s {
		if !zh.IsHan(r) {
			return false
		}
	}
	return s != ""
}
