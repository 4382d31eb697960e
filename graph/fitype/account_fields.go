package fitype

import (
	"context"
	"errors"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/pii"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// Balance resolves Account.balance from the consent's balances: one
// getfibalance per consent serves every account under it.
func (a *AccountBase) Balance(ctx context.Context) (*model.Balance, error) {
	b, err := loaders.Balance(ctx, a.ConsentRef(), a.linked.LinkReferenceNumber)
	if err != nil {
		return nil, err
	}
	return balanceFromFinpro(b), nil
}

// Profile resolves Account.profile from the consent's getallfidata (one call per
// consent). An account FinPro sends without a profile has a null profile. The
// holders' personal data is masked (see MaskHolder) unless the caller's token
// has the profile:read scope.
func (a *AccountBase) Profile(ctx context.Context) (*model.Profile, error) {
	acc, err := a.fiAccount(ctx)
	if err != nil || acc == nil {
		return nil, err
	}
	p, _ := auth.PrincipalFrom(ctx)
	return profileFromFinpro(acc.Profile, p.HasScope(auth.ScopeProfileRead)), nil
}

// fiAccount returns the account's getallfidata entry, nil when FinPro's answer
// does not list the account.
func (a *AccountBase) fiAccount(ctx context.Context) (*finpro.FIAccount, error) {
	acc, err := loaders.FIAccount(ctx, a.ConsentRef(), a.linked.LinkReferenceNumber)
	if errors.Is(err, finpro.ErrNotFound) && !isAPIError(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// isAPIError reports whether err came from a FinPro answer (as opposed to the
// account missing from a successful answer).
func isAPIError(err error) bool {
	_, ok := errors.AsType[*finpro.APIError](err)
	return ok
}

func balanceFromFinpro(b *finpro.Balance) *model.Balance {
	return &model.Balance{
		Amount:   model.DecimalFrom(b.Balance),
		Currency: b.Currency, // finpro guarantees one (INR when FinPro sent none)
		AsOf:     model.TimePtr(b.AsOf),
	}
}

// profileFromFinpro converts a profile, masking its holders unless clear.
func profileFromFinpro(p *finpro.Profile, clear bool) *model.Profile {
	if p == nil {
		return nil
	}
	out := &model.Profile{HoldersType: model.HoldersTypeSingle, Holders: make([]*model.Holder, len(p.Holders))}
	if p.HoldersType == string(model.HoldersTypeJoint) || len(p.Holders) > 1 {
		out.HoldersType = model.HoldersTypeJoint
	}
	for i, h := range p.Holders {
		out.Holders[i] = &model.Holder{
			Name:          h.Name,
			Dob:           model.DatePtr(h.DOB),
			Mobile:        model.StringPtr(h.Mobile),
			Nominee:       model.EnumPtr(h.Nominee, model.NomineeStatusUnknown),
			Landline:      model.StringPtr(h.Landline),
			Address:       model.StringPtr(h.Address),
			Email:         model.StringPtr(h.Email),
			Pan:           model.StringPtr(h.PAN),
			CkycCompliant: h.CKYCCompliant,
		}
		if !clear {
			MaskHolder(out.Holders[i])
		}
	}
	return out
}

// MaskHolder masks a holder's personal data in place (graph/pii): name to
// initials, PAN, mobile and landline to their last four characters, email to
// a***@e***.tld, address to pii.Redacted, and dob to null (a masked date is
// not a Date). Nominee and ckycCompliant are not personal data and stay.
func MaskHolder(h *model.Holder) {
	h.Name = pii.Name(h.Name)
	h.Dob = nil
	h.Pan = maskPtr(h.Pan, pii.Number)
	h.Mobile = maskPtr(h.Mobile, pii.Number)
	h.Landline = maskPtr(h.Landline, pii.Number)
	h.Email = maskPtr(h.Email, pii.Email)
	h.Address = maskPtr(h.Address, pii.Address)
}

func maskPtr(s *string, mask func(string) string) *string {
	if s == nil {
		return nil
	}
	return model.StringPtr(mask(*s))
}

// TransactionsFromFinpro converts transactions of the account with linkRef read
// through the consent with consentRef (relay.ConsentRef), keeping FinPro's
// digits, with two allocations in all (a page of them is the graph's largest
// list): the optional fields point into one backing array instead of one
// allocation each.
func TransactionsFromFinpro(consentRef, linkRef string, ts []finpro.Transaction) []model.Transaction {
	type optional struct {
		currentBalance       model.Decimal
		narration, reference string
		mode                 model.TransactionMode
		valueDate            model.Date
	}
	out := make([]model.Transaction, len(ts))
	opt := make([]optional, len(ts))
	ptr := func(s *string) *string {
		if *s == "" {
			return nil
		}
		return s
	}
	for i, t := range ts {
		o := &opt[i]
		*o = optional{
			currentBalance: model.DecimalFrom(t.CurrentBalance),
			narration:      t.Narration,
			reference:      t.Reference,
		}
		typ, _ := model.EnumOf(t.Type, model.TransactionTypeUnknown)
		out[i] = model.Transaction{
			TxnID:                t.TxnID,
			Type:                 typ,
			Amount:               model.DecimalFrom(t.Amount),
			TransactionTimestamp: t.TransactionTimestamp,
			Narration:            ptr(&o.narration),
			Reference:            ptr(&o.reference),
			ConsentRef:           consentRef,
			LinkRef:              linkRef,
		}
		if m, ok := model.EnumOf(t.Mode, model.TransactionModeUnknown); ok {
			o.mode = m
			out[i].Mode = &o.mode
		}
		if o.currentBalance != "" {
			out[i].CurrentBalance = &o.currentBalance
		}
		if model.ValidDate(t.ValueDate) {
			o.valueDate = model.Date(t.ValueDate)
			out[i].ValueDate = &o.valueDate
		}
	}
	return out
}
