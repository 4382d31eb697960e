// Package fi decodes an account's ReBIT Financial Information (Profile, Summary,
// Transactions) into typed Go values, one struct family per FI type, named after
// the ReBIT XSDs of Sahamati/account-aggregator-standards (schemas/<type>/<type>.xsd).
// The structs live in one package per family of FI types (fi/deposits,
// fi/securities, fi/funds, fi/insurance, fi/pension) over what they share
// (fi/rebit); this package holds the FI types, the registry that maps each to
// its struct ([Schema]), and the decoding entry points.
//
// FinPro renders the XML schemas as JSON (finpro-upstream.md §3): attributes
// become lower-camel fields, elements keep their capitalised names, a single
// element may come as an object instead of an array, and numbers and booleans
// usually come as strings. The decoder (fi/internal/tagdec) absorbs those variations and never
// fails a whole account for one odd field: a value that does not fit its field
// is left absent and reported by path in [Issues].
//
// Money and quantities are [rebit.Decimal] (exact text, never float), dates [rebit.Date],
// date-times time.Time (zero when absent), enumerations strings normalised to
// upper snake case with the value lists in [Enums] (the GraphQL layer maps
// unknown values to UNKNOWN). "" and nil mean absent throughout.
//
// [Decode] picks the struct by FI type; FI types without a ReBIT schema
// (GSTR1_3B, OTHER) decode as [Generic], a bounded view without holder data.
// [DecodeSummary] and [DecodeProfile] decode less of an account, for the
// graph's summaries and profiles. [DecodeTransaction] decodes one getfidata
// row by its schema and [Normalize] puts each schema's amount and moment in
// the client's statement fields. Every typed value reports what it is worth
// through [Data.Valuation], which fi/networth adds per currency and asset class.
package fi

import (
	"bytes"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/deposits"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/funds"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/insurance"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/tagdec"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/pension"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/rebit"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/securities"
)

// The FI types of the seeds' list (ReBIT aa.yaml, plus the insurance and GST
// types FinPro adds).
const (
	TypeDeposit           finpro.FIType = "DEPOSIT"
	TypeTermDeposit       finpro.FIType = "TERM_DEPOSIT"
	TypeRecurringDeposit  finpro.FIType = "RECURRING_DEPOSIT"
	TypeSIP               finpro.FIType = "SIP"
	TypeCP                finpro.FIType = "CP"
	TypeGovtSecurities    finpro.FIType = "GOVT_SECURITIES"
	TypeEquities          finpro.FIType = "EQUITIES"
	TypeBonds             finpro.FIType = "BONDS"
	TypeDebentures        finpro.FIType = "DEBENTURES"
	TypeMutualFunds       finpro.FIType = "MUTUAL_FUNDS"
	TypeETF               finpro.FIType = "ETF"
	TypeIDR               finpro.FIType = "IDR"
	TypeCIS               finpro.FIType = "CIS"
	TypeAIF               finpro.FIType = "AIF"
	TypeInsurancePolicies finpro.FIType = "INSURANCE_POLICIES"
	TypeNPS               finpro.FIType = "NPS"
	TypeInvIT             finpro.FIType = "INVIT"
	TypeREIT              finpro.FIType = "REIT"
	TypeGSTR13B           finpro.FIType = "GSTR1_3B"
	TypeLifeInsurance     finpro.FIType = "LIFE_INSURANCE"
	TypeGeneralInsurance  finpro.FIType = "GENERAL_INSURANCE"
	TypeOther             finpro.FIType = "OTHER"
)

// Types lists every FI type of the seeds, in the seeds' order.
var Types = []finpro.FIType{
	TypeDeposit, TypeTermDeposit, TypeRecurringDeposit, TypeSIP, TypeCP, TypeGovtSecurities,
	TypeEquities, TypeBonds, TypeDebentures, TypeMutualFunds, TypeETF, TypeIDR, TypeCIS, TypeAIF,
	TypeInsurancePolicies, TypeNPS, TypeInvIT, TypeREIT, TypeGSTR13B, TypeLifeInsurance,
	TypeGeneralInsurance, TypeOther,
}

// Data is one account's decoded FI data: a pointer to one of the families'
// account structs (*deposits.Deposit, *securities.Equities, ...) or a *Generic.
type Data interface {
	// Valuation is what the account is worth, for net worth.
	Valuation() rebit.Valuation
}

// schema is how one FI type decodes.
type schema struct {
	xsd    string // folder under schemas/ in Sahamati/account-aggregator-standards; "" if none
	decode func(raw []byte, d *tagdec.Decoder) Data
}

func typed[T any, P interface {
	*T
	Data
}](xsd string) schema {
	return schema{xsd: xsd, decode: func(raw []byte, d *tagdec.Decoder) Data {
		v := P(new(T))
		if len(bytes.TrimSpace(raw)) > 0 {
			d.Into(raw, v)
		} else {
			d.AddMalformed("")
		}
		return v
	}}
}

// schemas maps each FI type to its ReBIT schema. LIFE_INSURANCE and
// GENERAL_INSURANCE have no schema of their own: ReBIT's insurance_policies.xsd
// covers both (its policyType has life plans, TERM to CHILDREN_PLAN, and general
// ones, COMPREHENSIVE and THIRD_PARTY; coverType HEALTH, BUILDING, CONTENTS), so
// all three insurance FI types decode as *InsurancePolicies.
var schemas = map[finpro.FIType]schema{
	TypeDeposit:           typed[deposits.Deposit]("deposit"),
	TypeTermDeposit:       typed[deposits.TermDeposit]("term_deposit"),
	TypeRecurringDeposit:  typed[deposits.RecurringDeposit]("recurring_deposit"),
	TypeSIP:               typed[funds.SIP]("systematic_investment_plan"),
	TypeCP:                typed[securities.CommercialPaper]("commercial_paper"),
	TypeGovtSecurities:    typed[securities.GovtSecurities]("government_securities"),
	TypeEquities:          typed[securities.Equities]("equity_shares"),
	TypeBonds:             typed[securities.Bonds]("bonds"),
	TypeDebentures:        typed[securities.Debentures]("debentures"),
	TypeMutualFunds:       typed[funds.MutualFunds]("mutual_funds"),
	TypeETF:               typed[funds.ETF]("exchange_traded_funds"),
	TypeIDR:               typed[securities.IDR]("indian_depository_receipts"),
	TypeCIS:               typed[funds.CIS]("collective_investment_schemes"),
	TypeAIF:               typed[funds.AIF]("alternative_investment_funds"),
	TypeInsurancePolicies: typed[insurance.InsurancePolicies]("insurance_policies"),
	TypeLifeInsurance:     typed[insurance.InsurancePolicies]("insurance_policies"),
	TypeGeneralInsurance:  typed[insurance.InsurancePolicies]("insurance_policies"),
	TypeNPS:               typed[pension.NPS]("national_pension_system"),
	TypeInvIT:             typed[funds.InvIT]("infrastructure_investment_trusts"),
	TypeREIT:              typed[funds.REIT]("real_estate_investment_trusts"),
}

// Schema returns the ReBIT schema folder an FI type decodes by ("deposit",
// "equity_shares", ...), or "" for types decoded as [Generic].
func Schema(t finpro.FIType) string { return schemas[t].xsd }

// Decode decodes acc's FI data (acc.Raw) by its FI type. It never fails: what
// did not decode is absent and listed in Issues. An account with no raw data
// decodes to an empty value with one issue at path "".
func Decode(acc finpro.FIAccount) (Data, Issues) {
	return DecodeRaw(acc.FIType, acc.Raw)
}

// DecodeRaw is Decode for one account object of getallfidata as FinPro sent it.
func DecodeRaw(t finpro.FIType, raw []byte) (Data, Issues) {
	d := tagdec.Decoder{Codec: codec}
	return decodeWith(&d, t, raw), Issues{Malformed: d.Malformed}
}

// DecodeSummary is DecodeRaw without the Transactions element: the profile
// and summary of an account, for a client that asks for no transactions
// (getallfidata sends every transaction of the statement with them).
func DecodeSummary(t finpro.FIType, raw []byte) (Data, Issues) {
	d := tagdec.Decoder{Codec: codec, Skip: "transactions"}
	return decodeWith(&d, t, raw), Issues{Malformed: d.Malformed}
}

// DecodeProfile decodes only the Profile element of one account object of
// getallfidata: the holders with every schema's attributes (dematId, pranId,
// rank, holdingType). Nil when the account has none.
func DecodeProfile(raw []byte) (*rebit.Profile, Issues) {
	d := tagdec.Decoder{Codec: codec}
	var v struct {
		Profile *rebit.Profile `fi:"Profile"`
	}
	d.Into(raw, &v)
	return v.Profile, Issues{Malformed: d.Malformed}
}

func decodeWith(d *tagdec.Decoder, t finpro.FIType, raw []byte) Data {
	if s, ok := schemas[t]; ok {
		return s.decode(raw, d)
	}
	return decodeGeneric(t, raw, d)
}
