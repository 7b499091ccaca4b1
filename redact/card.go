package redact

import "strings"

// isCard reports whether d is a bank card number: 16 to 19 digits. One run
// of digits always counts. Grouped, it must be in fours (the last group may
// be shorter, as in "6222 0212 3456 7890 123") and either pass the Luhn
// check or start like a payment card (3, 4, 5, 6 or 9), so that a row of
// years such as "2022 2023 2024 2025" is usually left alone.
func isCard(d string, gs []group) bool {
	if len(d) < 16 || len(d) > 19 || !allDigits(d) {
		return false
	}
	if len(gs) == 1 {
		return true
	}
	for _, g := range gs[:len(gs)-1] {
		if len(g.digits) != 4 {
			return false
		}
	}
	if len(gs[len(gs)-1].digits) > 4 {
		return false
	}
	return strings.IndexByte("34569", d[0]) >= 0 || luhn(d)
}

// luhn reports whether the digits d pass the Luhn (mod 10) check.
func luhn(d string) bool {
	sum := 0
	double := false
	for i := len(d) - 1; i >= 0; i-- {
		n := int(d[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}
