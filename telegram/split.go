package telegram

import (
	"html"

	"policybot/parts"
)

// Telegram's limit on a message's text is 4096 characters (UTF-16 code
// units) after its markup is parsed. Parts are measured as HTML, longer
// than the text they show, so they are within it with room to spare; the
// last part keeps editRoom more for the mark a button press adds.
const (
	messageLimit = 4096
	editRoom     = 128
	partLimit    = messageLimit - editRoom
)

// htmlFormat is Telegram's HTML counted as Telegram counts, every text
// escaped: whatever the notice, the engine or a person wrote is never read
// as markup.
var htmlFormat = parts.Format{Measure: units, Escape: html.EscapeString}

// split packs a reply's lines into messages of at most limit UTF-16 units
// of HTML, breaking where parts.Format.Pack does.
func split(doc []line, limit int) []string {
	lines := make([]parts.Line, len(doc))
	for i, l := range doc {
		for _, r := range l {
			opening, closing := r.style.marks()
			lines[i].Runs = append(lines[i].Runs, parts.Run{Text: r.text, Open: opening, Close: closing})
		}
	}
	return htmlFormat.Pack(lines, limit)
}

// units is the length of s in UTF-16 code units, as Telegram counts.
func units(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
