package plugins

import (
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/internal/finpro/fi"
)

// All returns the plugin of every FI type that has a ReBIT schema, one line
// per FI type: its GraphQL account type. ReBIT's insurance_policies schema
// covers life and general policies alike, so InsurancePolicyAccount serves
// INSURANCE_POLICIES, LIFE_INSURANCE and GENERAL_INSURANCE. GSTR1_3B and
// OTHER have no schema: their accounts are fitype.OtherAccount.
func All() []fitype.Plugin {
	return []fitype.Plugin{
		fitype.PluginOf[DepositAccount](fi.TypeDeposit),
		fitype.PluginOf[TermDepositAccount](fi.TypeTermDeposit),
		fitype.PluginOf[RecurringDepositAccount](fi.TypeRecurringDeposit),
		fitype.PluginOf[SIPAccount](fi.TypeSIP),
		fitype.PluginOf[CommercialPaperAccount](fi.TypeCP),
		fitype.PluginOf[GovtSecuritiesAccount](fi.TypeGovtSecurities),
		fitype.PluginOf[EquitiesAccount](fi.TypeEquities),
		fitype.PluginOf[BondsAccount](fi.TypeBonds),
		fitype.PluginOf[DebenturesAccount](fi.TypeDebentures),
		fitype.PluginOf[MutualFundAccount](fi.TypeMutualFunds),
		fitype.PluginOf[ETFAccount](fi.TypeETF),
		fitype.PluginOf[IDRAccount](fi.TypeIDR),
		fitype.PluginOf[CISAccount](fi.TypeCIS),
		fitype.PluginOf[AIFAccount](fi.TypeAIF),
		fitype.PluginOf[InsurancePolicyAccount](fi.TypeInsurancePolicies),
		fitype.PluginOf[InsurancePolicyAccount](fi.TypeLifeInsurance),
		fitype.PluginOf[InsurancePolicyAccount](fi.TypeGeneralInsurance),
		fitype.PluginOf[NPSAccount](fi.TypeNPS),
		fitype.PluginOf[InvITAccount](fi.TypeInvIT),
		fitype.PluginOf[REITAccount](fi.TypeREIT),
	}
}
