package kb

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"policybot/zh"
)

// maxTitleLines bounds how many lines a notice's title may wrap over.
const maxTitleLines = 4

var (
	// issuedDate is the date line under a notice (2022年 6月 2日).
	issuedDate = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日$`)
	// titleIssuer splits a title into its issuer and subject: X关于Y的通知.
	titleIssuer = regexp.MustCompile(`^(.+?)关于`)
)

// Parse reads a notice as extracted from its PDF into a Document: title,
// addressees, preamble, parts, clauses and sentences, and the date it was
// issued. id names the document; vocab tells what to extract from sentences.
func Parse(id, raw string, vocab *Vocabulary) (*Document, error) {
	lines := splitLines(raw)
	if len(lines) == 0 {
		return nil, fmt.Errorf("parse notice %s: no text", id)
	}
	title, rest := splitTitle(lines)
	doc := &Document{ID: id, Title: title, Short: title}
	if m := titleIssuer.FindStringSubmatch(title); m != nil {
		// 《关于…的通知》 without the issuer is how notices are cited.
		doc.Issuer, doc.Short = m[1], title[len(m[1]):]
	}
	p := &parser{doc: doc, vocab: vocab}
	for _, para := range paragraphs(rest) {
		p.add(para)
	}
	if err := p.finish(); err != nil {
		return nil, fmt.Errorf("parse notice %s: %w", id, err)
	}
	return doc, nil
}

// splitTitle takes the title off the top of a notice: the lines up to one
// that ends with the kind of document (…的通知). A title is set apart, in
// larger type, so the paragraph rules do not apply to it.
func splitTitle(lines []line) (string, []line) {
	for n := 1; n <= min(maxTitleLines, len(lines)); n++ {
		var parts []string
		for _, l := range lines[:n] {
			parts = append(parts, l.text)
		}
		if t := joinLines(parts); docTypeSuffix.MatchString(t) {
			return t, lines[n:]
		}
	}
	return squeezeSpaces(lines[0].text), lines[1:]
}

// parser walks a notice's paragraphs in order and builds its structure.
type parser struct {
	doc      *Document
	vocab    *Vocabulary
	part     *Part
	clause   *clauseDraft
	clauses  int    // clauses seen so far in the document
	partNo   int    // the numeral of the last part heading
	numInP   int    // the numeral of the last clause heading in the current part
	partMark string // the current part's heading marker, 二、
}

// clauseDraft collects the paragraphs of a clause until the next heading.
type clauseDraft struct {
	number string
	text   []string
}

func (p *parser) add(para string) {
	if m := partMarker.FindStringSubmatch(para); m != nil && p.isNext(m[1], p.partNo) {
		p.flushClause()
		p.partNo, p.numInP, p.partMark = mustNumber(m[1]), 0, m[0]
		p.doc.Parts = append(p.doc.Parts, Part{Ordinal: len(p.doc.Parts) + 1, Title: strings.TrimSuffix(para[len(m[0]):], "。")})
		p.part = &p.doc.Parts[len(p.doc.Parts)-1]
		return
	}
	if m := clauseMarker.FindStringSubmatch(para); m != nil && p.isClause(m[1]) {
		p.flushClause()
		p.numInP = mustNumber(m[1])
		p.clause = &clauseDraft{number: m[0], text: []string{para[len(m[0]):]}}
		return
	}
	switch {
	case p.clause != nil:
		p.clause.text = append(p.clause.text, para)
	case p.part != nil:
		// Text between a part heading and its first clause introduces the part.
		p.part.Title += "。" + para
	case p.doc.Audience == "" && p.doc.Preamble == "" && strings.HasSuffix(para, "："):
		p.doc.Audience = strings.TrimSuffix(para, "：")
	default:
		p.doc.Preamble = joinText(p.doc.Preamble, para)
	}
}

// isNext: headings count only in sequence, so a line that happens to begin
// with 二、 inside a paragraph is not taken for a part.
func (p *parser) isNext(numeral string, last int) bool {
	n, ok := zh.ParseNumber(numeral)
	return ok && int(n) == last+1
}

// isClause accepts the next clause number, continuing across parts (as in
// the 2022 notice) or starting again at （一） in each part.
func (p *parser) isClause(numeral string) bool {
	n, ok := zh.ParseNumber(numeral)
	if !ok {
		return false
	}
	return int(n) == p.numInP+1 || int(n) == p.clauses+1 || (n == 1 && p.numInP > 0 && p.part != nil)
}

func (p *parser) flushClause() {
	if p.clause == nil {
		return
	}
	if p.part == nil { // a notice with clauses but no parts
		p.doc.Parts = append(p.doc.Parts, Part{Ordinal: 1})
		p.part = &p.doc.Parts[0]
	}
	p.clauses++
	text := strings.Join(p.clause.text, "")
	title, body := splitClauseTitle(text)
	label := p.clause.number
	if mustNumber(strings.Trim(label, "（）()")) != p.clauses {
		// Numbering starts again in each part: （一） alone is ambiguous.
		label = p.partMark + label
	}
	c := Clause{
		Doc:       p.doc.ID,
		Ordinal:   p.clauses,
		Number:    p.clause.number,
		Label:     label,
		Part:      p.part.Ordinal,
		PartTitle: p.part.Title,
		Title:     title,
	}
	for i, s := range splitSentences(body) {
		c.Sentences = append(c.Sentences, Sentence{Index: i, Text: s, Mentions: Extract(s, p.vocab)})
	}
	p.part.Clauses = append(p.part.Clauses, c)
	p.clause = nil
}

// finish closes the last clause. Its first paragraph is the clause; what
// follows it without a heading is the notice's closing (the request to the
// addressees, the date, the publication note). A last clause that goes on
// over several paragraphs would be cut short here, a trade for not needing
// anything but the text's own layout.
func (p *parser) finish() error {
	var tail []string
	if p.clause != nil && len(p.clause.text) > 1 {
		tail = p.clause.text[1:]
		p.clause.text = p.clause.text[:1]
	}
	p.flushClause()
	var closing []string
	for _, para := range tail {
		if m := issuedDate.FindStringSubmatch(para); m != nil {
			d, err := time.Parse("2006-1-2", m[1]+"-"+m[2]+"-"+m[3])
			if err != nil {
				return fmt.Errorf("read date %q: %w", para, err)
			}
			p.doc.Issued = d
			continue
		}
		closing = append(closing, para)
	}
	p.doc.Closing = strings.Join(closing, "\n")
	if p.clauses == 0 {
		return fmt.Errorf("no clauses found: expected headings like （一）")
	}
	return nil
}

// splitClauseTitle separates a clause's title, its first sentence, from its body.
func splitClauseTitle(text string) (string, string) {
	if i := strings.Index(text, "。"); i >= 0 {
		return text[:i], text[i+len("。"):]
	}
	return text, ""
}

// splitSentences cuts text after each 。！？ that is not inside quotation
// marks or brackets.
func splitSentences(text string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range text {
		switch r {
		case '“', '《', '（', '(', '「':
			depth++
		case '”', '》', '）', ')', '」':
			if depth > 0 {
				depth--
			}
		case '。', '！', '？', '!', '?':
			if depth == 0 {
				end := i + len(string(r))
				if s := strings.TrimSpace(text[start:end]); s != "" {
					out = append(out, s)
				}
				start = end
			}
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + "\n" + b
}

func mustNumber(numeral string) int {
	n, _ := zh.ParseNumber(numeral)
	return int(n)
}
