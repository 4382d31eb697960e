// Package journey calls FinPro's consent-journey endpoints through a
// *finpro.Client: the Account Aggregators (AccountAggregators), the consent
// templates (Products), the AA page of consents already requested
// (RedirectURL, /webRedirection/getEncryptedUrl) and the decryption of the
// AA's return (ParseRedirectReturn, DecryptRedirect). One file per endpoint:
// its function, request body, wire structs and their conversion, as in
// internal/finpro, whose client makes the calls (retries, breaker, errors).
// RequestConsentV3 stays with the consent requests in internal/finpro.
package journey
