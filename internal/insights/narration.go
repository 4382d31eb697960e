package insights

import (
	"slices"
	"strings"
	"unicode"
)

// Narrations are the bank's free text ("NEFT/N123456789012/SALARY OCT
// 2026/ACME TECHNOLOGIES PVT LTD", "ACH D- HDFC LTD EMI LN71379150"). The
// analytics read them as words: upper case, split at anything but letters,
// digits and the characters of e-mail-like payment addresses (@ . &).

// words returns a narration's words.
func words(narration string) []string {
	return strings.FieldsFunc(strings.ToUpper(narration), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '@' && r != '.' && r != '&'
	})
}

func hasDigit(w string) bool { return strings.ContainsFunc(w, unicode.IsDigit) }

var months = set("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "SEPT", "OCT", "NOV", "DEC",
	"JANUARY", "FEBRUARY", "MARCH", "APRIL", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER")

// key is what stays the same across a recurring payment's narrations: its
// words without those holding digits (references, dates, card and mandate
// numbers) and without month names. Two transactions with one key are
// one payer's or one payee's.
func key(narration string) string {
	var ks []string
	for _, w := range words(narration) {
		if !hasDigit(w) && !months[w] {
			ks = append(ks, w)
		}
	}
	return strings.Join(ks, " ")
}

// channel words name how money moved, not who moved it.
var channel = set("NEFT", "IMPS", "RTGS", "UPI", "ACH", "NACH", "ECS", "POS", "ATM", "D", "DR", "CR", "P2A", "P2P",
	"BY", "TO", "FROM", "TRANSFER", "TRF", "TXN", "INB", "MB", "IB", "CTS", "CLG", "CHQ", "DEP", "I", "W", "O",
	"AUTOPAY", "MANDATE", "DEBIT", "CREDIT", "PAYMENT", "PAY", "ONLINE", "REF", "NO", "OF", "THE", "FOR", "AND", "A/C", "AC")

// counterparty is the payer or payee a key names: its words without
// channel words, category words (SALARY, EMI, ...) and payment addresses.
func counterparty(k string) string {
	var out []string
	for _, w := range strings.Fields(k) {
		if channel[w] || categoryWord[w] || strings.Contains(w, "@") {
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// reference returns the narration's first word that looks like a payment's
// own reference: a cheque number (six or more digits) or a loan or mandate
// number (letters then at least six digits), which a return and its charge
// repeat.
func reference(narration string) string {
	for _, w := range words(narration) {
		digits := strings.IndexFunc(w, unicode.IsDigit)
		if digits < 0 || len(w)-digits < 6 || strings.ContainsFunc(w[digits:], func(r rune) bool { return !unicode.IsDigit(r) }) {
			continue
		}
		if digits <= 4 {
			return w
		}
	}
	return ""
}

func set(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// anyWord reports whether ws holds one of the words of m, or a word made of
// one of prefixes and digits (LN71379150, a loan number).
func anyWord(ws []string, m map[string]bool, prefixes ...string) bool {
	return slices.ContainsFunc(ws, func(w string) bool {
		if m[w] {
			return true
		}
		for _, p := range prefixes {
			if rest, ok := strings.CutPrefix(w, p); ok && rest != "" && !strings.ContainsFunc(rest, func(r rune) bool { return !unicode.IsDigit(r) }) {
				return true
			}
		}
		return false
	})
}
