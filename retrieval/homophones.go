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
	return strings.Join(h.sounds(s), " ")
}

// sounds is the toneless pinyin of each character of s that has one.
func (h *homophones) sounds(s string) []string {
	var parts []string
	for _, p := range pinyin.Pinyin(s, h.args) {
		if len(p) > 0 {
			parts = append(parts, p[0])
		}
	}
	return parts
}

// find returns expansions for stretches of q that are not words (known
// tells) but sound like words the corpus uses, skipping stretches already
// taken.
//
// Each character's pinyin is looked up once (pinyin is read character by
// character, so a stretch's key is its characters' sounds joined), which
// keeps the cost a small constant per character of q.
func (h *homophones) find(q string, known func(string) bool, taken []expansion) []expansion {
	var out []expansion
	var offs []int
	var sound []string // the pinyin of each character; "" for none
	for i, r := range q {
		offs = append(offs, i)
		s := ""
		if zh.IsHan(r) {
			if ps := h.sounds(string(r)); len(ps) > 0 {
				s = ps[0]
			}
		}
		sound = append(sound, s)
	}
	offs = append(offs, len(q))
	for i := 0; i < len(offs)-1; i++ {
		for n := maxHomophoneRunes; n >= minHomophoneRunes; n-- {
			if i+n >= len(offs) {
				continue
			}
			s, e := offs[i], offs[i+n]
			w := q[s:e]
			if !allHan(w) || overlaps(taken, s, e) || (len(out) > 0 && out[len(out)-1].end > s) {
				continue
			}
			if words := h.byPinyin[joinSounds(sound[i:i+n])]; len(words) > 0 && !known(w) {
				out = append(out, expansion{start: s, end: e, to: words, boost: homophoneBoost, typo: true})
				break
			}
		}
	}
	return out
}

// joinSounds is the key of a stretch whose characters sound as given.
func joinSounds(sound []string) string {
	var parts []string
	for _, s := range sound {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
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
