// Package redact removes personal data from free text before it is logged.
//
// What it catches, wherever it sits in a sentence (between letters, Chinese
// characters, punctuation or invisible characters):
//
//   - mainland mobile numbers: 1[3-9] and nine digits, with or without +86,
//     86 or 0086, in ASCII, full-width or Chinese digits (一三八…, 幺三三…,
//     mixed too), grouped any way by spaces, dashes, dots, slashes,
//     underscores or commas, and followed by anything, x included
//     (13812345678x);
//   - resident ID (身份证) numbers: 18 characters (17 digits and a digit or
//     X, whether or not the check digit holds) and the 15 digits of the
//     first generation, joined or grouped as people group them;
//   - bank card numbers: 16 to 19 digits in one run, and grouped as cards
//     print them (fours, 4-6-5, 4-6-4, 6-13), whatever their check digit;
//   - landline numbers with their area code (023-6321 1234);
//   - e-mail addresses: ASCII, full-width and Unicode (张三@例子.中国), and
//     spelt out (zhang at gmail dot com, zhang(at)qq(dot)com, zhang艾特qq点com);
//   - after a cue word of corpus/redaction.yaml: a name (我叫张伟, my name
//     is …), an address (住在渝中区解放碑XX路12号, I live at …), a QQ number
//     (QQ：987654321) and a WeChat id (微信号wxid_abc12345, vx: zhang_88);
//     a wxid_ id anywhere.
//
// Each is replaced by a placeholder naming what was there ([手机号] …).
// Invisible format characters (zero-width spaces and joiners, soft hyphens,
// bidirectional controls) are removed, since they can hide data from the
// patterns and carry nothing a log needs.
//
// What it does not catch: a name or address without a cue word (张伟想问补贴,
// 我是张伟: 我是 also says 我是应届生), a name typed in another script than
// Chinese or Latin letters, ID or card numbers cut short or run together
// with other digits, numbers read aloud with units (一千三百八十…), foreign
// phone numbers, 14-digit and shorter cards, passport, licence-plate and
// social-credit numbers, and anything written as an image or in a spelling
// this list does not foresee. Amounts, dates, percentages, counts, document
// numbers and short service numbers such as 12333 are left alone, and so
// are rows of years or round figures that are shaped like a card.
//
// Redaction errs towards privacy: a number shaped like personal data is
// replaced even when its check digit is wrong, because a mistyped ID number
// still identifies a person, and a cue takes the words after it even when
// they turn out not to be a name (unless they ask: 办理地址是哪里).
package redact

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"unicode"

	"policybot/corpus"
)

// Redactor replaces personal data in texts. It is safe for concurrent use.
type Redactor struct {
	ph    Placeholders
	email *emailPatterns
	nums  *numberPatterns
	cues  []*cue
	wxid  *wechatID
}

// Load builds a Redactor from the cue words and placeholders of
// RedactionFile in fsys.
func Load(fsys fs.FS) (*Redactor, error) {
	data, err := fs.ReadFile(fsys, RedactionFile)
	if err != nil {
		return nil, fmt.Errorf("load redaction: %w", err)
	}
	t, err := parseTable(data)
	if err != nil {
		return nil, fmt.Errorf("load redaction: %s: %w", RedactionFile, err)
	}
	r := &Redactor{ph: t.Placeholders, nums: newNumberPatterns(), wxid: newWechatID()}
	if r.email, err = newEmailPatterns(t.Email); err != nil {
		return nil, fmt.Errorf("load redaction: %s: %w", RedactionFile, err)
	}
	if r.cues, err = t.cues(); err != nil {
		return nil, fmt.Errorf("load redaction: %s: %w", RedactionFile, err)
	}
	return r, nil
}

// standard is the Redactor of the corpus built into the binary.
var standard = sync.OnceValues(func() (*Redactor, error) { return Load(corpus.Embedded()) })

// Text returns s with personal data replaced by placeholders, using the cue
// words built into the binary (corpus/redaction.yaml). It is safe for
// concurrent use, never fails, returns valid UTF-8 (invalid bytes become
// U+FFFD) and is idempotent: Text(Text(s)) == Text(s).
func Text(s string) string {
	r, err := standard()
	if err != nil {
		// The table is embedded and loaded by the tests: this is a broken
		// build, and logging text unredacted is not an option.
		panic(err)
	}
	return r.Text(s)
}

// Text returns s with personal data replaced by placeholders; see the
// package comment for what is and is not caught.
func (r *Redactor) Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	invisible := func(c rune) bool { return unicode.Is(unicode.Cf, c) }
	if strings.IndexFunc(s, invisible) >= 0 {
		s = strings.Map(func(c rune) rune {
			if invisible(c) {
				return -1
			}
			return c
		}, s)
	}
	s = r.email.redact(s, r.ph.Email)
	s = r.redactNumbers(s)
	s = r.redactCues(s)
	return r.wxid.redact(s, r.ph.WeChat)
}
