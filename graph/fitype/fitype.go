// Package fitype holds the graph's account types: the Account interface, the
// AccountBase every account embeds (common fields, balance, profile,
// transactions, insights), the Registry of FI-type plugins and OtherAccount,
// the type of an account whose FI type has no plugin (its summary is a
// generic view without personal data).
//
// The plugins themselves, one per FI type, are in graph/fitype/plugins: each
// maps FinPro's FI-type specific data to its GraphQL type, which embeds
// AccountBase. gqlgen binds the GraphQL types of both packages by name
// (autobind in gqlgen.yml) and resolves their fields through their methods,
// so an FI type needs no resolver file: adding one is its decoding in
// internal/finpro/fi, a schema file (graph/<type>.graphqls), a plugin file in
// graph/fitype/plugins and one line in plugins.All (PluginOf).
//
// Every plugin reads its FI type's ReBIT schema through package fi and hands
// the result to SummaryOf, which converts it with graph/fitype/convert into
// the gqlgen models of graph/model field by field, by name. The same goes for
// Transaction.detail (DetailOf). NetWorth and MissingAccount live here
// because they hold accounts.
package fitype

import (
	"fmt"

	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

// Account is the GraphQL Account interface. Only this package's types implement
// it: each embeds an AccountBase.
type Account interface {
	model.Node
	// Base returns the account's common part.
	Base() *AccountBase
}

// Plugin maps one FI type's accounts to its GraphQL type.
type Plugin interface {
	// FIType is the FI type the plugin handles.
	FIType() finpro.FIType
	// Account wraps base in the plugin's GraphQL type.
	Account(base AccountBase) Account
}

// PluginOf is the plugin of FI type t whose GraphQL type is A, a struct that
// embeds AccountBase: its accounts are *A holding their base.
func PluginOf[A any, P interface {
	*A
	Account
}](t finpro.FIType) Plugin {
	return typedPlugin[A, P]{t}
}

// typedPlugin is PluginOf's plugin.
type typedPlugin[A any, P interface {
	*A
	Account
}] struct{ t finpro.FIType }

func (p typedPlugin[A, P]) FIType() finpro.FIType { return p.t }

func (typedPlugin[A, P]) Account(base AccountBase) Account {
	acc := P(new(A))
	*acc.Base() = base
	return acc
}

// Registry picks the plugin of an account's FI type.
type Registry struct {
	byType map[finpro.FIType]Plugin
}

// NewRegistry returns a registry of plugins. Two plugins for one FI type are a
// programming error, so NewRegistry panics on them.
func NewRegistry(plugins ...Plugin) *Registry {
	r := &Registry{byType: make(map[finpro.FIType]Plugin, len(plugins))}
	for _, p := range plugins {
		if _, dup := r.byType[p.FIType()]; dup {
			panic(fmt.Sprintf("fitype: two plugins for FI type %s", p.FIType()))
		}
		r.byType[p.FIType()] = p
	}
	return r
}

// Account returns the GraphQL account of a linked account seen under consent:
// its FI type's plugin's type, or OtherAccount when no plugin is registered.
func (r *Registry) Account(consent *model.Consent, linked finpro.LinkedAccount) Account {
	base := AccountBase{linked: linked, consent: consent}
	var acc Account = &OtherAccount{AccountBase: base}
	if p, ok := r.byType[linked.FIType]; ok {
		acc = p.Account(base)
	}
	acc.Base().self = acc // insights name the account they belong to
	return acc
}

// FITypes returns the FI types with a plugin.
func (r *Registry) FITypes() []finpro.FIType {
	out := make([]finpro.FIType, 0, len(r.byType))
	for t := range r.byType {
		out = append(out, t)
	}
	return out
}

// AccountBase is what every account type shares: the linked account as the
// consent list shows it and the consent it is read through. Its methods resolve
// the Account interface's fields.
type AccountBase struct {
	linked  finpro.LinkedAccount
	consent *model.Consent
	self    Account // the account type that embeds this base
}

// Base returns a.
func (a *AccountBase) Base() *AccountBase { return a }

// Linked returns the linked account as FinPro's consent list shows it.
func (a *AccountBase) Linked() finpro.LinkedAccount { return a.linked }

// IsNode marks every account type as a Node.
func (AccountBase) IsNode() {}

// ID resolves Account.id: the account as read through its consent.
func (a *AccountBase) ID() string {
	return relay.AccountID(a.consent.Ref, a.linked.LinkReferenceNumber)
}

// LinkReferenceNumber resolves Account.linkReferenceNumber.
func (a *AccountBase) LinkReferenceNumber() string { return a.linked.LinkReferenceNumber }

// MaskedAccountNumber resolves Account.maskedAccountNumber.
func (a *AccountBase) MaskedAccountNumber() string { return a.linked.MaskedAccountNumber }

// FIType resolves Account.fiType (UNKNOWN for a type this version does not know).
func (a *AccountBase) FIType() model.FIType {
	t, _ := model.EnumOf(string(a.linked.FIType), model.FITypeUnknown)
	return t
}

// FIPID resolves Account.fipId.
func (a *AccountBase) FIPID() *string { return model.StringPtr(a.linked.FIPID) }

// FIPName resolves Account.fipName.
func (a *AccountBase) FIPName() *string { return model.StringPtr(a.linked.FIPName) }

// AccountType resolves Account.accountType.
func (a *AccountBase) AccountType() *string { return model.StringPtr(a.linked.AccountType) }

// Consent resolves Account.consent.
func (a *AccountBase) Consent() *model.Consent { return a.consent }

// ConsentRef returns the FinPro consent ID the account is read through.
func (a *AccountBase) ConsentRef() string { return a.consent.FinproID() }
