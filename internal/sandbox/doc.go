// Package sandbox is a FinPro simulator: the same paths, bodies, envelopes, error
// codes and HTTP statuses as FinPro's documentation (the seed pages and
// docs/upstream-decisions.md), over deterministic seeded data. It is the default
// upstream of `go run .`, of every test and of every benchmark, and `go run .
// sandbox` serves it alone. Clients reach it over real HTTP:
//
//	sb, _ := sandbox.New(sandbox.Config{Seed: 1})
//	defer sb.Close()
//	srv := httptest.NewServer(sb.Handler())
//
// # FinPro paths
//
// All POST with a JSON body, Content-Type application/json and the four
// credential headers (client_id, client_secret, organisationId, appIdentifier;
// Default* unless configured): /getfibalance, /getfidata (?limit=&offset=,
// numbers or "true"), /getallfidata, /getalllatestfidata,
// /v1/accounts/getconsentslist, /v2/requestconsent, /revokeconsent, /fi/request
// and /consent/firequest/status. Missing or wrong credentials answer 401
// Unauthorized (AuthenticationFailed on the consent list). Bad input always
// answers a 4xx failure envelope, never a 500; an unknown path answers 404 and a
// method other than POST 405, both with the failure envelope.
//
// getalllatestfidata serves ONETIME consents their full data every time; a
// PERIODIC consent gets everything on its first pull, then only the
// transactions appended since its previous pull, then NoIncrementalData.
// getallfidata answers a REVOKED consent InvalidRequest ("Consent ID is Revoked
// with consent type as VIEW"), an EXPIRED one DataIsDeleted, other inactive ones
// ConsentNotActive, and NoDataAvailable before the data is ready.
//
// # Data
//
// Everything derives from Config.Seed: two sandboxes with the same seed answer
// byte for byte the same apart from "timestamp" fields. Seeded transactions end
// on 2026-10-31 and never depend on the clock. Money is exact (apd): every
// amount has two decimals, and running balances reconcile exactly: each
// transaction's currentBalance is the previous one plus the amount for credit
// types (CREDIT, OPENING, INTEREST, INSTALLMENT, BUY) or minus it for the others
// (DEBIT, TDS, CLOSING, SELL); the first transaction starts from zero, and the
// last currentBalance equals Summary.currentBalance and getfibalance's balance.
// A mutual-fund account's balance is its Summary.currentValue.
//
// Whatever the seed, the demo customer DemoMobile (9876543210) has, under
// DemoProductID (PFM_DASHBOARD): an ACTIVE PERIODIC consent (savings account
// with 300 transactions, a JOINT current account with overdraft ending at
// -5.50 and a 100000000000.01 escrow pair, a term deposit, a recurring
// deposit), an ACTIVE ONETIME consent (the same savings account, so its link
// reference appears under two consents, and a mutual-fund account), and
// PENDING, REVOKED, PAUSED, REJECTED and EXPIRED consents; under
// LOAN_UNDERWRITING an ACTIVE and a PENDING consent. Customer 9123456780 has
// its own accounts and consents. A few more customers come from the seed.
// Demo and 9123456780 identifiers (consent IDs, handles, link references) are
// the same for every seed. Config.Scale spreads extra transactions over the
// DEPOSIT accounts (after the seeded history), still reconciling.
// /v2/requestconsent with an unknown mobile creates a customer with one savings
// account.
//
// # Admin API (under /_sandbox/, JSON)
//
//	GET    /_sandbox/stats                                  {"calls":{"/getfibalance":3,...}}
//	POST   /_sandbox/stats/reset
//	GET    /_sandbox/customers                              mobiles, consents, link references
//	POST   /_sandbox/consents/{consentHandle}/{action}      approve|reject|pause|resume|revoke|expire
//	POST   /_sandbox/accounts/{linkReferenceNumber}/transactions
//	       {"transactions":[{"type":"CREDIT","amount":"10.00","mode":"UPI","narration":"..."}]}
//	POST   /_sandbox/faults  {"path":"/getfibalance","errorCode":"DataNotAvailable","count":1,"retryAfter":7}
//	DELETE /_sandbox/faults
//
// Stats count every request to a FinPro path, rejected ones included. An
// illegal transition answers 409, an unknown handle, link reference or action
// 404, bad input 400. Approval assigns a consent ID, links the customer's
// accounts whose FI type the product covers (PFM_DASHBOARD: all;
// LOAN_UNDERWRITING: DEPOSIT; WEALTH_TRACKER: term, recurring, mutual funds) and
// makes the data ready. Resume returns a consent to ACTIVE. A fault makes the
// next count calls of a path fail with that errorCode and its documented HTTP
// status ("html503": the HTML 503 gateway page); faults apply after the
// credential check. RateLimitExceeded and html503 faults carry Retry-After:
// retryAfter seconds (default 1). The same operations exist as methods: Stats, ResetStats,
// Customers, Consent, Transition, AppendTransactions, InjectFault, ClearFaults.
//
// # Webhooks
//
// Every transition (admin or /revokeconsent) POSTs a Type 1 CONSENT event
// (CONSENT_APPROVED, _REJECTED with consentId "<NULL>", _PAUSED, _RESUMED,
// _REVOKED, _EXPIRED) to Config.WebhookURL, signed with HMAC-SHA256 of the exact
// body under Config.WebhookSecret, lowercase hex, in Config.WebhookHeader
// (default X-Signature). Approval and /fi/request then send DATA / DATA_READY
// with linkRefNumbers[]. Delivery is asynchronous, one event at a time in the
// order sent, retried three times with doubling backoff from 100ms on non-2xx or
// connection errors, from a bounded queue (full: dropped and logged); Close
// stops it.
//
// # Knobs
//
//   - Latency: added to every FinPro call; a cancelled request stops waiting.
//   - ErrorPercent: that share of FinPro calls answer 503 with an HTML body,
//     chosen by a deterministic hash of the seed and the call count.
//   - RateLimit, RateWindow: fixed windows per client_id. Every FinPro response
//     carries X-RateLimit-Limit, -Remaining and -Reset (Unix seconds); past the
//     limit: 429 RateLimitExceeded with Retry-After (seconds). Unlimited (0)
//     still sends the headers, with a limit of 2147483647.
//   - PageSize: getfidata's page for limit=true (default 100).
//   - DataReadyDelay: after an approval the data APIs answer "not available"
//     (DataNotAvailable, NoDataAvailable) until the delay passes, then
//     DATA_READY fires; /fi/request makes the data ready at once.
//   - Now: the clock (response timestamps, rate-limit windows, appended
//     transactions, consents created through requestconsent).
//
// # Quirks
//
//   - HolderAsObject: a single Holder is sent as an object, not an array.
//   - TermDepositHyphen: fiType TERM-DEPOSIT instead of TERM_DEPOSIT, everywhere.
//   - LeakyProductFilter: the consent list ignores productID (returns the
//     customer's consents of every product), as FinPro is reported to.
package sandbox
