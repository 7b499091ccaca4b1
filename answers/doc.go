// Package answers turns what retrieval found into a short answer a person
// can trust: the sentences that answer, quoted, with their citation, whether
// the measure has expired, and a plain "not covered" when nothing answers.
package answers
