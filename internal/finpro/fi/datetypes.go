package fi

import "github.com/moneyone-bff/finpro-bff/internal/finpro"

// Decimal is an exact decimal as text (finpro.Decimal): plain digits with an
// optional sign and fraction ("101666.33", "-5.50"), never a float. "" means
// absent: FinPro sent nothing, an empty string, or a value that is not a finite
// decimal.
type Decimal = finpro.Decimal

// Date is a calendar date, YYYY-MM-DD; "" means absent or unreadable. Dates are
// civil dates (no zone): a date-time value keeps the date of its own offset.
type Date string
