package fitype

import (
	"context"
	"errors"

	"github.com/moneyone-bff/finpro-bff/graph/fitype/convert"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/pii"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
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
	clear := p.HasScope(auth.ScopeProfileRead)
	out := profileFromFinpro(acc.Profile, clear)
	if out != nil && !plainHolders[a.linked.FIType] {
		holderExtras(out, acc.Raw, clear)
	}
	return out, nil
}

// plainHolders are the FI types whose schemas give holders no attribute
// beyond the deposit schema's, so their profiles need no second decoding.
var plainHolders = map[finpro.FIType]bool{
	fi.TypeDeposit: true, fi.TypeTermDeposit: true, fi.TypeRecurringDeposit: true,
}

// holderExtras adds the attributes other schemas give holders (dematId,
// pranId, rank, holdingType) from the account's own bytes, holder by holder
// in FinPro's order, masking the identifiers unless clear.
func holderExtras(p *model.Profile, raw []byte, clear bool) {
	fp, _ := fi.DecodeProfile(raw)
	if fp == nil || len(fp.Holders.Holder) != len(p.Holders) {
		return // not the holders the client decoded: add nothing rather than mismatch
	}
	for i, h := range fp.Holders.Holder {
		out := p.Holders[i]
		out.DematID = model.StringPtr(h.DematID)
		out.PranID = model.StringPtr(h.PranID)
		out.Rank = h.Rank
		out.HoldingType = convert.Enum[model.HoldingType](h.HoldingType)
		if !clear {
			out.DematID = MaskPtr(out.DematID, pii.Number)
			out.PranID = MaskPtr(out.PranID, pii.Number)
		}
	}
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
	h.Pan = MaskPtr(h.Pan, pii.Number)
	h.Mobile = MaskPtr(h.Mobile, pii.Number)
	h.Landline = MaskPtr(h.Landline, pii.Number)
	h.Email = MaskPtr(h.Email, pii.Email)
	h.Address = MaskPtr(h.Address, pii.Address)
}

// MaskPtr returns *s masked by mask (graph/pii), nil for nil.
func MaskPtr(s *string, mask func(string) string) *string {
	if s == nil {
		return nil
	}
	return model.StringPtr(mask(*s))
}
