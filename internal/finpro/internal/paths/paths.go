// Package paths names every FinPro path the client calls, and which of them
// may be retried: the one list internal/finpro (the client and its endpoint
// packages, such as journey) and its transport share, so an endpoint's path
// and its retry policy are written once.
package paths

// FinPro paths the client calls.
const (
	Balance          = "/getfibalance"
	FIData           = "/getfidata"
	AllFIData        = "/getallfidata"
	LatestFIData     = "/getalllatestfidata"
	Consents         = "/v1/accounts/getconsentslist"
	ConsentsV3       = "/v3/getconsentslist" // Consent List V3 (finpro-upstream.md §1b)
	RequestConsent   = "/v2/requestconsent"
	RequestConsentV3 = "/v3/requestconsent"
	RevokeConsent    = "/revokeconsent"
	FIRequest        = "/fi/request"
	FIRequestStatus  = "/consent/firequest/status"
	AAList           = "/accountaggregatorlist"
	Products         = "/productslist"
	EncryptedURL     = "/webRedirection/getEncryptedUrl"
	DecryptURL       = "/webRedirection/decryptUrl"
)

// Endpoints lists every path the client calls, true for the reads that may be
// retried. getalllatestfidata is not one on purpose: each call consumes the
// increment upstream. The journey's reads are here too: decryptUrl is a pure
// decryption. getEncryptedUrl is not: each call may open a redirect session
// at the AA.
var Endpoints = map[string]bool{
	Balance:          true,
	FIData:           true,
	AllFIData:        true,
	Consents:         true,
	ConsentsV3:       true,
	FIRequestStatus:  true,
	DecryptURL:       true,
	AAList:           true,
	Products:         true,
	LatestFIData:     false,
	RequestConsent:   false,
	RevokeConsent:    false,
	FIRequest:        false,
	RequestConsentV3: false,
	EncryptedURL:     false,
}
