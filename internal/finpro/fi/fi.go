// Package fi decodes an account's ReBIT Financial Information (Profile, Summary,
// Transactions) into typed Go values, one struct family per FI type, named after
// the ReBIT XSDs of Sahamati/account-aggregator-standards (schemas/<type>/<type>.xsd).
//
// FinPro renders the XML schemas as JSON (finpro-upstream.md §3): attributes
// become lower-camel fields, elements keep their capitalised names, a single
// element may come as an object instead of an array, and numbers and booleans
// usually come as strings. The decoder here absorbs those variations and never
// fails a whole account for one odd field: a value that does not fit its field
// is left absent and reported by path in [Issues].
//
// Money and quantities are [Decimal] (exact text, never float), dates [Date],
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
// through [Data.Valuation], which [Sum] adds per currency and asset class.
package fi

import (
	"bytes"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi/internal/tagdec"
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

// Data is one account's decoded FI data: a pointer to one of the package's
// account structs (*Deposit, *Equities, ..., *Generic).
type Data interface {
	// Valuation is what the account is worth, for net worth.
	Valuation() Valuation
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
	TypeDeposit:           typed[Deposit]("deposit"),
	TypeTermDeposit:       typed[TermDeposit]("term_deposit"),
	TypeRecurringDeposit:  typed[RecurringDeposit]("recurring_deposit"),
	TypeSIP:               typed[SIP]("systematic_investment_plan"),
	TypeCP:                typed[CommercialPaper]("commercial_paper"),
	TypeGovtSecurities:    typed[GovtSecurities]("government_securities"),
	TypeEquities:          typed[Equities]("equity_shares"),
	TypeBonds:             typed[Bonds]("bonds"),
	TypeDebentures:        typed[Debentures]("debentures"),
	TypeMutualFunds:       typed[MutualFunds]("mutual_funds"),
	TypeETF:               typed[ETF]("exchange_traded_funds"),
	TypeIDR:               typed[IDR]("indian_depository_receipts"),
	TypeCIS:               typed[CIS]("collective_investment_schemes"),
	TypeAIF:               typed[AIF]("alternative_investment_funds"),
	TypeInsurancePolicies: typed[InsurancePolicies]("insurance_policies"),
	TypeLifeInsurance:     typed[InsurancePolicies]("insurance_policies"),
	TypeGeneralInsurance:  typed[InsurancePolicies]("insurance_policies"),
	TypeNPS:               typed[NPS]("national_pension_system"),
	TypeInvIT:             typed[InvIT]("infrastructure_investment_trusts"),
	TypeREIT:              typed[REIT]("real_estate_investment_trusts"),
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
func DecodeProfile(raw []byte) (*Profile, Issues) {
	d := tagdec.Decoder{Codec: codec}
	var v struct {
		Profile *Profile `fi:"Profile"`
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
