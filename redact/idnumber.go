package redact

import "strings"

// isID reports whether d is an 18-character resident ID number (GB 11643:
// 17 digits and a check digit or X). Written as one run of digits it always
// counts, as a mistyped number is still personal data; when grouped it must
// be grouped the usual way (6-8-4 or 6-4-4-4), carry a plausible birth date,
// or have a valid check digit, so lists of figures are not joined into one.
// An 18-digit run with neither a birth date nor a valid check digit is left
// to isCard.
func isID(d string, gs []group) bool {
	if len(d) != 18 || !allDigits(d[:17]) || !(isDigit(d[17]) || d[17] == 'X') {
		return false
	}
	plausible := hasBirthDate(d) || checkDigit(d[:17]) == d[17]
	switch {
	case len(gs) == 1:
		return d[17] == 'X' || plausible
	case groupedAs(gs, 6, 8, 4), groupedAs(gs, 6, 4, 4, 4):
		return true
	}
	return plausible
}

// isFirstID reports whether d is a first-generation ID number: 15 digits,
// a region code, a birth date YYMMDD and three more. As one run of digits,
// or grouped 6-6-3, it always counts (except an American Express card,
// 15 digits starting 34 or 37 that pass the Luhn check); grouped otherwise,
// only with a plausible birth date, and not in a card's 4-6-5.
func isFirstID(d string, gs []group) bool {
	if len(d) != 15 || !allDigits(d) || d[0] == '0' {
		return false
	}
	switch {
	case len(gs) == 1:
		return !(strings.HasPrefix(d, "34") || strings.HasPrefix(d, "37")) || !luhn(d)
	case groupedAs(gs, 6, 6, 3):
		return true
	case groupedAs(gs, 4, 6, 5):
		return false
	}
	month := (d[8]-'0')*10 + d[9] - '0'
	day := (d[10]-'0')*10 + d[11] - '0'
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// hasBirthDate reports whether d has a region code and a birth date where an
// ID number has them: a non-zero first digit, then at offset 6 a year 18xx,
// 19xx or 20xx, a month 01-12 and a day 01-31.
func hasBirthDate(d string) bool {
	if d[0] == '0' {
		return false
	}
	century := d[6:8]
	month := (d[10]-'0')*10 + d[11] - '0'
	day := (d[12]-'0')*10 + d[13] - '0'
	return (century == "18" || century == "19" || century == "20") &&
		month >= 1 && month <= 12 && day >= 1 && day <= 31
}

// checkDigit computes the GB 11643 check character of the first 17 digits.
func checkDigit(d17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(d17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// groupedAs reports whether the groups have exactly the given lengths.
func groupedAs(gs []group, lens ...int) bool {
	if len(gs) != len(lens) {
		return false
	}
	for i, g := range gs {
		if len(g.digits) != lens[i] {
			return false
		}
	}
	return true
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
