package redact

import "strings"

// kind is a kind of numeric personal data.
type kind int

const (
	kindNone kind = iota
	kindPhone
	kindID
	kindCard
	kindLandline
)

// placeholder returns the text that replaces data of kind k.
func (k kind) placeholder(ph *Placeholders) string {
	switch k {
	case kindPhone:
		return ph.Phone
	case kindID:
		return ph.IDNumber
	case kindCard:
		return ph.BankCard
	case kindLandline:
		return ph.Landline
	}
	return ""
}

// classify tells what the digit groups gs, taken together, are. The shape
// of the digits decides; how they are grouped only matters where a digit
// count alone would catch ordinary figures (see isCard and isLandline).
func classify(gs []group) kind {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(g.digits)
	}
	d := b.String()
	switch {
	case isPhone(d):
		return kindPhone
	case isID(d, gs), isFirstID(d, gs):
		return kindID
	case isCard(d, gs):
		return kindCard
	case isLandline(d, gs):
		return kindLandline
	}
	return kindNone
}

// isPhone reports whether d is a mainland mobile number (1[3-9] and nine
// digits), optionally after the country code 86 or 0086. Any grouping is
// accepted: the leading 1[3-9] and the exact length are signal enough.
func isPhone(d string) bool {
	d = strings.TrimPrefix(d, "00")
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		d = d[2:]
	}
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d)
}

// isLandline reports whether d is a fixed-line number: 0, a two- or
// three-digit area code, and a seven- or eight-digit local number that does
// not start with 0 or 1. When grouped, the first group must be exactly the
// area code ("023-6321 1234"), so unrelated figures are not joined.
func isLandline(d string, gs []group) bool {
	area := areaCodeLen(d)
	if area == 0 || !allDigits(d) {
		return false
	}
	local := len(d) - area
	if local < 7 || local > 8 || d[area] < '2' {
		return false
	}
	return len(gs) == 1 || len(gs[0].digits) == area
}

// areaCodeLen returns the length of the area code, with its leading 0, that
// d starts with, or 0 if it starts with none: 010 and 02x have three digits,
// the rest (0[3-9]xx) four.
func areaCodeLen(d string) int {
	switch {
	case len(d) < 4 || d[0] != '0':
		return 0
	case d[1] == '1' && d[2] == '0', d[1] == '2':
		return 3
	case d[1] >= '3' && d[1] <= '9':
		return 4
	}
	return 0
}

// allDigits reports whether s is made only of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
