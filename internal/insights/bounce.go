package insights

import (
	"slices"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// BounceKind is which way a returned payment was going.
type BounceKind string

// Kinds of returned payments.
const (
	// Outgoing: a payment from the account (an EMI mandate, a cheque it
	// issued) was returned unpaid: what lenders look for first.
	Outgoing BounceKind = "OUTGOING"
	// Incoming: a payment into the account (a cheque deposited) was returned.
	Incoming BounceKind = "INCOMING"
)

// Bounce is a returned payment: what the statement shows of it.
type Bounce struct {
	Kind BounceKind
	// At is when the return was posted: its reversal, else its first charge.
	At time.Time
	// Payment, Reversal and PaidBy are indexes into the ledger's Txns, -1
	// when absent: the returned payment (when the bank had posted it), the
	// transaction that reversed it, and for an outgoing return the payment
	// made again afterwards (the same reference or payee within 30 days).
	Payment, Reversal, PaidBy int
	// Charges are the bank's return charges (and the GST on them).
	Charges      []int
	ChargesTotal apd.Decimal
	// Amount is the returned payment's amount when the statement shows it.
	Amount *apd.Decimal
	// Counterparty is the payee or payer the narrations name; Reason the
	// return reason they give (e.g. FUNDS INSUFFICIENT), empty when none.
	Counterparty, Reason string
}

// all returns the transactions that make up the return.
func (b *Bounce) all() []int {
	out := slices.Clone(b.Charges)
	for _, i := range []int{b.Payment, b.Reversal} {
		if i >= 0 {
			out = append(out, i)
		}
	}
	return out
}

var (
	returnWords = set("RTN", "RETURN", "RETURNED", "RET", "RETD", "RETN", "BOUNCE", "BOUNCED", "DISHONOUR", "DISHONOURED",
		"DISHONOR", "DISHONORED", "UNPAID")
	chargeWords = set("CHG", "CHGS", "CHRG", "CHRGS", "CHARGE", "CHARGES", "FEE", "FEES", "PENAL", "PENALTY")
	// incomingWords (and "O/W", outward clearing) mark a return of money
	// coming in: a deposited cheque.
	incomingWords = set("DEP", "DEPOSIT")
	reasons       = []struct{ phrase, reason string }{
		{"INSUFF", "FUNDS INSUFFICIENT"},
		{"EXCEEDS ARRANGEMENT", "EXCEEDS ARRANGEMENT"},
		{"REFER TO DRAWER", "REFER TO DRAWER"},
		{"STOP", "PAYMENT STOPPED"},
		{"SIGNATURE", "SIGNATURE DIFFERS"},
		{"CLOSED", "ACCOUNT CLOSED"},
		{"MANDATE", "MANDATE NOT VALID"},
	}
	// boilerplate of return narrations, not part of who was paid.
	returnText = set("GST", "ON", "FUNDS", "INSUFFICIENT", "INSUFF", "REFER", "DRAWER", "EXCEEDS", "ARRANGEMENT", "REASON", "REV", "REVERSAL")
)

// Bounces finds the ledger's returned payments, oldest first.
//
// A return is a transaction whose narration has a return word (RTN,
// RETURN, BOUNCE, DISHONOUR, UNPAID, ...): with a charge word (CHG,
// CHARGES, FEE, PENALTY, ...) on a debit it is a return charge, else a
// reversal. A reversal's payment is the latest earlier transaction of the
// other direction and the same amount within seven days. A charge belongs
// to the return posted within three days before it that repeats its
// reference (a cheque or mandate number), or, when it names none, within a
// day; a charge that belongs to none is a return of its own whose payment
// the bank never posted (an EMI mandate or a cheque returned for want of
// funds shows only its charge).
func (l *Ledger) Bounces() []Bounce {
	var out []*Bounce
	used := map[int]bool{}
	kind := make([]int8, len(l.Txns)) // 1: reversal, 2: charge
	for i := range l.Txns {
		ws := words(l.Txns[i].Narration)
		if !anyWord(ws, returnWords) {
			continue
		}
		if anyWord(ws, chargeWords) {
			if l.Txns[i].Dir == Out {
				kind[i] = 2
			}
			continue
		}
		kind[i] = 1
	}
	for i := range l.Txns {
		x := &l.Txns[i]
		switch kind[i] {
		case 1:
			b := &Bounce{At: x.At, Payment: -1, Reversal: i, PaidBy: -1, Kind: Outgoing}
			if x.Dir == Out {
				b.Kind = Incoming // it takes back money that came in
			}
			for j := i - 1; j >= 0 && x.At.Sub(l.Txns[j].At) <= 7*24*time.Hour; j-- {
				y := &l.Txns[j]
				if kind[j] == 0 && !used[j] && y.Dir != x.Dir && y.Amount.Cmp(&x.Amount) == 0 {
					b.Payment, used[j] = j, true
					break
				}
			}
			out = append(out, b)
		case 2:
			ref := reference(x.Narration)
			var to *Bounce
			for k := len(out) - 1; k >= 0; k-- {
				b := out[k]
				last := b.At
				if n := len(b.Charges); n > 0 {
					last = l.Txns[b.Charges[n-1]].At
				}
				gap := x.At.Sub(last)
				if gap > 3*24*time.Hour {
					break
				}
				if (ref != "" && l.mentions(b, ref)) || (ref == "" && gap <= 24*time.Hour) {
					to = b
					break
				}
			}
			if to == nil {
				to = &Bounce{At: x.At, Payment: -1, Reversal: -1, PaidBy: -1, Kind: Outgoing}
				if anyWord(words(x.Narration), incomingWords) || strings.Contains(strings.ToUpper(x.Narration), "O/W") {
					to.Kind = Incoming
				}
				out = append(out, to)
			}
			to.Charges = append(to.Charges, i)
			add(&to.ChargesTotal, &to.ChargesTotal, &x.Amount)
		}
	}
	res := make([]Bounce, len(out))
	for k, b := range out {
		l.describe(b, kind)
		res[k] = *b
	}
	return res
}

// mentions reports whether a return's transactions repeat ref.
func (l *Ledger) mentions(b *Bounce, ref string) bool {
	for _, i := range b.all() {
		if slices.Contains(words(l.Txns[i].Narration), ref) {
			return true
		}
	}
	return false
}

// describe fills in a return's amount, counterparty, reason and the payment
// made again afterwards.
func (l *Ledger) describe(b *Bounce, kind []int8) {
	switch {
	case b.Payment >= 0:
		b.Amount = new(apd.Decimal).Set(&l.Txns[b.Payment].Amount)
	case b.Reversal >= 0:
		b.Amount = new(apd.Decimal).Set(&l.Txns[b.Reversal].Amount)
	}
	src := b.Reversal
	if src < 0 {
		src = b.Charges[0]
	}
	var name []string
	for _, w := range strings.Fields(counterparty(key(l.Txns[src].Narration))) {
		if !returnWords[w] && !chargeWords[w] && !returnText[w] {
			name = append(name, w)
		}
	}
	b.Counterparty = strings.Join(name, " ")
	for _, i := range b.all() {
		text := strings.ToUpper(l.Txns[i].Narration)
		for _, r := range reasons {
			if b.Reason == "" && strings.Contains(text, r.phrase) {
				b.Reason = r.reason
			}
		}
	}
	if b.Kind != Outgoing {
		return
	}
	// The payment made again: a later debit repeating the reference, or
	// the returned payment's key.
	ref := ""
	for _, i := range b.all() {
		if ref = reference(l.Txns[i].Narration); ref != "" {
			break
		}
	}
	payKey := ""
	if b.Payment >= 0 {
		payKey = key(l.Txns[b.Payment].Narration)
	}
	start := slices.Max(b.all())
	for j := start + 1; j < len(l.Txns) && l.Txns[j].At.Sub(b.At) <= 30*24*time.Hour; j++ {
		y := &l.Txns[j]
		if y.Dir != Out || kind[j] != 0 {
			continue
		}
		if (ref != "" && slices.Contains(words(y.Narration), ref)) || (payKey != "" && key(y.Narration) == payKey) {
			b.PaidBy = j
			return
		}
	}
}
