package parts

import (
	"strings"
	"unicode/utf8"
)

// sentenceEnds are the marks a sentence ends with.
const sentenceEnds = "。！？；!?;"

// sentences cuts a line after each sentence's end mark (a full stop only
// when a space follows, so 2.5 stays whole), each run keeping its marks.
func sentences(runs []Run) [][]Run {
	var out [][]Run
	var cur []Run
	for _, r := range runs {
		text, from := r.Text, 0
		for i, ch := range text {
			if !strings.ContainsRune(sentenceEnds, ch) && (ch != '.' || !strings.HasPrefix(text[i+1:], " ")) {
				continue
			}
			to := i + utf8.RuneLen(ch)
			out = append(out, append(cur, Run{text[from:to], r.Open, r.Close}))
			cur, from = nil, to
		}
		if from < len(text) {
			cur = append(cur, Run{text[from:], r.Open, r.Close})
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// cut splits a sentence longer than a part into written pieces of at most
// limit, between characters: the last resort. A run's marks are whole in
// each piece it falls in, and counted there; a character larger than limit
// on its own is a piece alone.
func (f Format) cut(runs []Run, limit int) []string {
	var out []string
	var cur []Run
	n := 0
	for _, r := range merged(runs) {
		marks := f.measure(r.Open + r.Close)
		from := 0 // where r's text in cur begins
		for i := 0; i < len(r.Text); {
			_, w := utf8.DecodeRuneInString(r.Text[i:])
			size := f.measure(f.escape(r.Text[i : i+w]))
			if i == from { // r's first character in this piece brings its marks
				size += marks
			}
			if n > 0 && n+size > limit {
				if i > from {
					cur = append(cur, Run{r.Text[from:i], r.Open, r.Close})
					size += marks
				}
				out = append(out, f.write(cur))
				cur, n, from = nil, 0, i
			}
			n += size
			i += w
		}
		if from < len(r.Text) {
			cur = append(cur, Run{r.Text[from:], r.Open, r.Close})
		}
	}
	if len(cur) > 0 {
		out = append(out, f.write(cur))
	}
	return out
}

// merged joins neighbouring runs with the same marks, so that a piece cut
// from them opens and closes them once.
func merged(runs []Run) []Run {
	var out []Run
	for _, r := range runs {
		if r.Text == "" {
			continue
		}
		if last := len(out) - 1; last >= 0 && out[last].Open == r.Open && out[last].Close == r.Close {
			out[last].Text += r.Text
			continue
		}
		out = append(out, r)
	}
	return out
}
