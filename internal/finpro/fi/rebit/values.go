// Package rebit holds what the ReBIT FI schemas' Go types share: the
// Profile and Transactions elements every schema has, the [Decimal] and
// [Date] values of their fields, the [Common] statement row each schema's
// transaction maps to, and the [Valuation] each account reports for net worth
// in its [AssetClass]. The account types themselves live in the families
// (fi/deposits, fi/securities, fi/funds, fi/insurance, fi/pension); package fi
// decodes them.
package rebit

import "github.com/moneyone-bff/finpro-bff/internal/finpro"

// Decimal is an exact decimal as text (finpro.Decimal): plain digits with an
// optional sign and fraction ("101666.33", "-5.50"), never a float. "" means
// absent: FinPro sent nothing, an empty string, or a value that is not a finite
// decimal.
type Decimal = finpro.Decimal

// Date is a calendar date, YYYY-MM-DD; "" means absent or unreadable. Dates are
// civil dates (no zone): a date-time value keeps the date of its own offset.
type Date string
