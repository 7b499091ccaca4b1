package redact

import "strings"

// isCard reports whether d is a bank card number. One run of 16 to 19
// digits always counts. Grouped, the groups must be laid out as cards
// print them: fours with a shorter last group (6222 0212 3456 7890 123),
// 4-6-5 (American Express), 4-6-4 (Diners) or 6-13 (some UnionPay cards),
// whatever the check digit; only a row of years (2022 2023 2024 2025) or
// of round figures (2000 3000 5000 8000) in fours is left alone.
func isCard(d string, gs []group) bool {
	if !allDigits(d) {
		return false
	}
	if len(gs) == 1 {
		return len(d) >= 16 && len(d) <= 19
	}
	switch {
	case groupedAs(gs, 4, 6, 5), groupedAs(gs, 4, 6, 4), groupedAs(gs, 6, 13):
		return true
	case len(d) < 16 || len(d) > 19:
		return false
	}
	for _, g := range gs[:len(gs)-1] {
		if len(g.digits) != 4 {
			return false
		}
	}
	return len(gs[len(gs)-1].digits) <= 4 && !figures(gs)
}

// figures reports whether every group is a year (19xx, 20xx) or every
// group a round figure (ends in 00): what a row of numbers in fours holds
// when it is not a card.
func figures(gs []group) bool {
	years, round := true, true
	for _, g := range gs {
		years = years && len(g.digits) == 4 && (strings.HasPrefix(g.digits, "19") || strings.HasPrefix(g.digits, "20"))
		round = round && strings.HasSuffix(g.digits, "00")
	}
	return years || round
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
