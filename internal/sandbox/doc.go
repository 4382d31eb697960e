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
// /v1/accounts/getconsentslist, /v2/requestconsent, /revokeconsent, /fi/request,
// /consent/firequest/status, and the journey's /v3/requestconsent,
// /webRedirection/getEncryptedUrl, /webRedirection/decryptUrl,
// /accountaggregatorlist and /productslist. Missing or wrong credentials answer 401
// Unauthorized (AuthenticationFailed on the consent list). Bad input always
// answers a 4xx failure envelope, never a 500; an unknown path answers 404 and a
// method other than POST 405, both with the failure envelope.
//
// getalllatestfidata serves ONETIME consents their full data every time; a
// PERIODIC consent gets everything on its first pull, then only the
// transactions appended since its previous pull, then NoIncrementalData.
// getallfidata answers a REVOKED consent InvalidRequest ("Consent ID is Revoked
// with consent type as VIEW"), an EXPIRED one DataIsDeleted, other inactive ones
// ConsentNotActive, and NoDataAvailable before the data is ready (getfibalance
// and getfidata say DataNotAvailable, as seeds 000 and 002 do).
//
// # The consent journey
//
// /v3/requestconsent creates a PENDING consent (as /v2 does, plus fipID[],
// redirectUrl and an optional pan) and answers its webRedirectionUrl:
// /_sandbox/aa/consent?fi=&reqdate=&ecreq= on the sandbox itself
// (Config.PublicURL, else the request's Host), the request sealed in ecreq.
// getEncryptedUrl answers the same URL for PENDING handles of one user, with
// its documented errors (missingConsentInfo FP0021, InvalidRequest,
// invalid_consent_handle and FP0024, InvalidAA FP0029). The page is plain
// HTML (no script, no external asset) showing each consent's product,
// purpose, FI types, data range, frequency, validity and the accounts it may
// link (the product's FI types at fipID's FIPs), ticked; Approve or Reject
// POSTs back and answers 303 to the redirect URL with ecres, resdate and fi,
// which decryptUrl opens: status S (errorcode 0) or F (errorcode 1: rejected),
// txnid, sessionid, srcref (the handles), userid, redirect. Approval and
// rejection are transitions (webhooks as below). Redirect URLs must be
// absolute http(s); Config.RedirectHosts restricts their host.
// docs/upstream-decisions.md has the wire choices.
//
// # Data fetches
//
// An approval starts the automatic first fetch, /fi/request another; each is a
// session that stays PENDING for Config.FetchDelay (DataReadyDelay for the
// approval's, when set), then fixes each account's FIP outcome (DELIVERED by
// default; DENIED or TIMEOUT per Config.FetchOutcomes or the admin API, by
// link reference or FIP id) and fires one DATA event: DATA_READY when any
// account was delivered (linkRefNumbers[] give each account's READY, DENIED or
// TIMEOUT), else DATA_DENIED, else SESSION_FAILED; an expired session fires
// SESSION_EXPIRED without linkRefNumbers. Only delivered accounts' data is
// served; until one is, the data APIs answer "not available". A new session
// keeps the data already fetched. /consent/firequest/status reports the
// consent's latest session (or the one sessionId names): eventStatus PENDING,
// DATA_READY, DATA_DENIED, TIMEOUT or SESSION_EXPIRED, per-account fiStatus
// PENDING, DELIVERED, DENIED or TIMEOUT, firstTimeFetch. Seeded consents were
// fetched before the sandbox started: every account is delivered.
//
// /accountaggregatorlist lists onemoney-aa (this sandbox), finvu-aa and an
// Inactive anumati-aa; /productslist the three products with purpose, FI
// types, consent types, fetch type, frequency (PERIODIC), data range
// (consentFrom, consentTo), consentDuration, dataLife and consentMode.
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
// Every savings and current (DEPOSIT) account holds 13 calendar months of
// history ending 2026-10-31 (history.go): salaries (or a salary-like payout
// that never says SALARY) on the first working day of each month, loan EMIs
// and SIPs by NACH mandate, rent, subscriptions, utility bills, quarterly
// interest and day-to-day spending; the demo savings account has one EMI
// returned unpaid (its return charge and GST, then the EMI paid four days
// later) and the demo current account a deposited cheque that bounced
// (reversed, with a charge) and an issued one (a charge). Config.TxnsPerAccount
// fills every DEPOSIT history to at least that many transactions (10,000 for
// the statement and analytics benchmarks).
//
// Whatever the seed, the demo customer DemoMobile (9876543210) has, under
// DemoProductID (PFM_DASHBOARD): an ACTIVE PERIODIC consent (savings account
// with over 400 transactions, a JOINT current account with overdraft ending at
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
//	GET    /_sandbox/consents/{consentHandle}                  the consent, with its latest fetch
//	POST   /_sandbox/consents/{consentHandle}/fetch/start      {"delay":"5s"} (optional): a new fetch
//	POST   /_sandbox/consents/{consentHandle}/fetch/complete   end the pending fetch now (outcomes apply)
//	POST   /_sandbox/consents/{consentHandle}/fetch/expire     end it with SESSION_EXPIRED
//	GET    /_sandbox/fetch/outcomes                            {"outcomes":{"HDFC-FIP":"TIMEOUT"}}
//	POST   /_sandbox/fetch/outcomes  {"key":"<fipId or linkRef>","outcome":"DENIED"} or {"outcomes":{...}}
//	DELETE /_sandbox/fetch/outcomes
//	GET    /_sandbox/aa/consent?fi=&reqdate=&ecreq=            the AA page (HTML); POST: its form
//	POST   /_sandbox/aa/answer  {"url":"<webRedirectionUrl>","decision":"approve","accounts":["<linkRef>"]}
//	       -> {"redirect":"<redirectUrl>?ecres=..&resdate=..&fi=.."} (accounts omitted: all offered)
//
// Stats count every request to a FinPro path, rejected ones included. An
// illegal transition answers 409, an unknown handle, link reference or action
// 404, bad input 400. Approval assigns a consent ID, links the customer's
// accounts whose FI type the product covers (PFM_DASHBOARD: all;
// LOAN_UNDERWRITING: DEPOSIT; WEALTH_TRACKER: term, recurring, mutual funds) and
// starts the first data fetch. Resume returns a consent to ACTIVE. A fault makes the
// next count calls of a path fail with that errorCode and its documented HTTP
// status ("html503": the HTML 503 gateway page); faults apply after the
// credential check. RateLimitExceeded and html503 faults carry Retry-After:
// retryAfter seconds (default 1). The same operations exist as methods: Stats,
// ResetStats, Customers, Consent, Transition, AppendTransactions, InjectFault,
// InjectRateLimit, ClearFaults, StartFetch, CompleteFetch, ExpireFetch,
// SetFetchOutcome, FetchOutcomes, ClearFetchOutcomes and AnswerAA.
//
// # Webhooks
//
// Every transition (admin or /revokeconsent) POSTs a Type 1 CONSENT event
// (CONSENT_APPROVED, _REJECTED with consentId "<NULL>", _PAUSED, _RESUMED,
// _REVOKED, _EXPIRED) to Config.WebhookURL, signed with HMAC-SHA256 of the exact
// body under Config.WebhookSecret, lowercase hex, in Config.WebhookHeader
// (default X-Signature). Each data fetch's end sends one DATA event (see Data
// fetches) with sessionId and linkRefNumbers[] (linkRefNumber, fiStatus,
// fipName, fipId, maskedAccountNumber). Delivery is asynchronous, one event at a time in the
// order sent, from a bounded queue (full: dropped and logged). A connection
// error, a timeout (Config.WebhookTimeout, 5s) or a non-2xx answer is retried
// on Config.WebhookRetries (DefaultWebhookRetries: 30s, 2m, 10m, 30m, 1h, 3h)
// before the next event goes out; every failed attempt is logged at warn
// level and giving up at error level, to Config.Logger. Close stops it.
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
//   - FetchDelay, DataReadyDelay, FetchOutcomes: see Data fetches.
//   - PublicURL, RedirectHosts: see The consent journey.
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
