// Package redact removes personal data from free text before it is logged.
//
// It recognises mainland mobile numbers, resident ID (身份证) numbers, bank
// card numbers, e-mail addresses and landline numbers, in ASCII or
// full-width digits, grouped by spaces or dashes, and replaces each with a
// placeholder naming what was there. It leaves amounts, dates, percentages,
// counts, document numbers and short service numbers such as 12333 alone.
//
// Redaction errs towards privacy: a number shaped like personal data is
// replaced even when its check digit is wrong, because a mistyped ID number
// still identifies a person.
package redact

import (
	"regexp"
	"strings"
	"sync"
)

// Placeholders that replace each kind of personal data.
const (
	Phone    = "[手机号]"  // a mainland mobile number
	IDNumber = "[身份证号]" // a resident identity card number
	BankCard = "[银行卡号]" // a bank card number
	Email    = "[邮箱]"   // an e-mail address
	Landline = "[电话]"   // a fixed-line number with its area code
)

// Text returns s with personal data replaced by placeholders. It is safe for
// concurrent use, never fails, returns valid UTF-8 (invalid bytes become
// U+FFFD) and is idempotent: Text(Text(s)) == Text(s).
func Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	p := compiled()
	s = p.email.ReplaceAllLiteralString(s, Email)
	return redactNumbers(s, p)
}

// patterns holds the compiled expressions Text uses.
type patterns struct {
	email *regexp.Regexp // an e-mail address
	span  *regexp.Regexp // a run of digit groups that may hold personal data
	group *regexp.Regexp // one group of digits inside a span
}

// compiled compiles the patterns on first use rather than at package
// initialisation, so importing the package costs nothing.
var compiled = sync.OnceValue(func() *patterns {
	return &patterns{
		email: regexp.MustCompile(emailPattern),
		span:  regexp.MustCompile(spanPattern),
		group: regexp.MustCompile(digit + `+`),
	}
})
