package finpro

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Decoding notes. FinPro's JSON is inconsistent (finpro-upstream.md §4): the
// client decodes it with encoding/json into unexported wire structs whose field
// types absorb the variations, then converts them to the exported types. Two
// properties of encoding/json do part of the work: object keys match field names
// case-insensitively (Profile/profile, fipId/fipID, aaId/aaID, consentID/consentId),
// and unknown keys are ignored. Names that differ by more than case
// (consent_expiry/consentExpiry, linkRefNumber/linkReferenceNumber) get one field
// each. Nothing here goes through map[string]any, and the hot shape (getfidata's
// fiData[]) decodes in one pass.

var errBadDecimal = errors.New("finpro: not a finite decimal")

// maxDecimalLen bounds the text of a Decimal: money never needs more, and apd's
// parser should not be handed megabytes of digits.
const maxDecimalLen = 64

// UnmarshalJSON decodes a JSON string or number holding a finite decimal, keeping
// its digits exactly as sent. null leaves d unchanged and "" decodes to "" (FinPro
// sends empty strings for absent values); NaN, infinities and anything that is not
// a decimal are errors.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errBadDecimal
	}
	var s string
	switch b[0] {
	case 'n':
		if string(b) != "null" {
			return errBadDecimal
		}
		return nil
	case '"':
		var err error
		if s, err = unquote(b); err != nil {
			return errBadDecimal
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*d = ""
			return nil
		}
	default:
		s = string(b)
	}
	if !validDecimal(s) {
		return errBadDecimal
	}
	*d = Decimal(s)
	return nil
}

// validDecimal reports whether s is a finite decimal. Plain [-]digits[.digits]
// is checked by hand (the common case, no allocation); anything else (exponents,
// a leading '+' or '.', ...) must parse with apd as a finite number.
func validDecimal(s string) bool {
	if len(s) == 0 || len(s) > maxDecimalLen {
		return false
	}
	if simpleDecimal(s) {
		return true
	}
	v, _, err := apd.NewFromString(s)
	return err == nil && v.Form == apd.Finite
}

func simpleDecimal(s string) bool {
	i := 0
	if s[0] == '-' {
		i++
	}
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		digits++
	}
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	if s[i] != '.' {
		return false
	}
	i++
	frac := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		frac++
	}
	return frac > 0 && i == len(s)
}

// unquote decodes a JSON string literal, fast when it has no escapes.
func unquote(b []byte) (string, error) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 && bytes.IndexByte(b[1:len(b)-1], '"') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var s string
	err := json.Unmarshal(b, &s)
	return s, err
}

// flexString is a string FinPro sometimes sends as a number or boolean (mobile,
// reference, txnId). null is "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		*f = flexString(s)
	case 'n':
		*f = ""
	case '{', '[':
		return errors.New("finpro: want a string")
	default:
		*f = flexString(b)
	}
	return nil
}

// flexBool is a boolean in any of [ParseBool]'s spellings; anything else
// ("NO_DATA_AVAILABLE", null) is false.
type flexBool bool

// scalarText returns a JSON scalar's text: a string's contents, trimmed, or a
// number's or literal's bytes.
func scalarText(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		s, err := unquote(b)
		if err != nil {
			return nil, err
		}
		b = []byte(strings.TrimSpace(s))
	}
	return b, nil
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	b, err := scalarText(b)
	if err != nil {
		return err
	}
	v, _ := ParseBool(string(b))
	*f = flexBool(v)
	return nil
}

// flexInt is an integer sent as a number or a numeric string; null and "" are 0.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b, err := scalarText(b)
	if err != nil {
		return err
	}
	if len(b) == 0 || string(b) == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.Atoi(string(b))
	if err != nil {
		return errors.New("finpro: want an integer")
	}
	*f = flexInt(n)
	return nil
}

// wireTime is a timestamp in any of FinPro's formats (see [ParseTime]). null
// and "" are the zero time; anything else is an error.
type wireTime time.Time

func (w *wireTime) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s, err := unquote(b)
	if err != nil {
		return errors.New("finpro: want a timestamp string")
	}
	t, err := ParseTime(s)
	if err != nil {
		return err
	}
	*w = wireTime(t)
	return nil
}

// lenientTime parses a FinPro timestamp, zero when absent or unreadable.
func lenientTime(s string) time.Time {
	t, _ := ParseTime(s)
	return t
}

// oneOrMany is a list FinPro sends as an array, as a single element, or as null.
type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case '[':
		return json.Unmarshal(b, (*[]T)(o))
	case 'n':
		*o = nil
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*o = []T{v}
	return nil
}

// normFIType turns FinPro's spellings into one name per type: upper case, with
// TERM-DEPOSIT written TERM_DEPOSIT.
func normFIType(s string) FIType {
	if isCanonical(s) {
		return FIType(s)
	}
	return FIType(strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(s)), "-", "_"))
}

func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'A' && c <= 'Z' || c == '_' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// normConsentID maps FinPro's "no consent ID yet" spellings to "".
func normConsentID(s flexString) string {
	v := strings.TrimSpace(string(s))
	switch strings.ToUpper(v) {
	case "<NULL>", "NULL", "NIL", "NONE":
		return ""
	}
	return v
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func firstTime(ts ...wireTime) time.Time {
	for _, t := range ts {
		if !time.Time(t).IsZero() {
			return time.Time(t)
		}
	}
	return time.Time{}
}

// ---- envelope ----

// envelope is FinPro's response wrapper around a payload of type T.
type envelope[T any] struct {
	failure
	Response    string           `json:"response"` // "ok" on /fi/request
	Timestamp   string           `json:"timestamp"`
	Data        T                `json:"data"`
	PageDetails *pageDetailsWire `json:"pageDetails"`

	httpStatus int // the 2xx status it came with, for CallInfo
}

// timestamp is the envelope's timestamp, zero when absent or unreadable.
func (e *envelope[T]) timestamp() time.Time {
	return lenientTime(e.Timestamp)
}

type pageDetailsWire struct {
	TotalRecords      *flexInt `json:"totalRecords"`
	CurrentPageNumber flexInt  `json:"currentPageNumber"`
	TotalPages        flexInt  `json:"totalPages"`
	Limit             *flexInt `json:"limit"`
	Offset            *flexInt `json:"offset"`
}

// ---- transactions ----

type txWire struct {
	TxnID                flexString `json:"txnId"`
	Type                 string     `json:"type"`
	Mode                 string     `json:"mode"`
	Amount               Decimal    `json:"amount"`
	CurrentBalance       Decimal    `json:"currentBalance"`
	TransactionTimestamp wireTime   `json:"transactionTimestamp"`
	ValueDate            string     `json:"valueDate"`
	Narration            string     `json:"narration"`
	Reference            flexString `json:"reference"`
}

func (w *txWire) toTransaction() Transaction {
	return Transaction{
		TxnID:                string(w.TxnID),
		Type:                 w.Type,
		Mode:                 w.Mode,
		Amount:               w.Amount,
		CurrentBalance:       w.CurrentBalance,
		TransactionTimestamp: time.Time(w.TransactionTimestamp),
		ValueDate:            w.ValueDate,
		Narration:            w.Narration,
		Reference:            string(w.Reference),
	}
}

func toTransactions(ws []txWire) []Transaction {
	if len(ws) == 0 {
		return nil
	}
	out := make([]Transaction, len(ws))
	for i := range ws {
		out[i] = ws[i].toTransaction()
	}
	return out
}

// txContainer is the ReBIT Transactions element {startDate, endDate,
// Transaction: [...] | {...}} or the docs' placeholder transactions[] array.
type txContainer struct {
	StartDate   string
	EndDate     string
	Transaction []txWire
}

func (c *txContainer) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case 'n':
		return nil
	case '[':
		return json.Unmarshal(b, &c.Transaction)
	}
	var w struct {
		StartDate   string            `json:"startDate"`
		EndDate     string            `json:"endDate"`
		Transaction oneOrMany[txWire] `json:"Transaction"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	c.StartDate, c.EndDate, c.Transaction = w.StartDate, w.EndDate, w.Transaction
	return nil
}

// ---- getfibalance ----

type balanceWire struct {
	LinkReferenceNumber string  `json:"linkReferenceNumber"`
	LinkRefNumber       string  `json:"linkRefNumber"`
	MaskedAccountNumber string  `json:"maskedAccountNumber"`
	FIType              string  `json:"fiType"`
	FIPID               string  `json:"fipId"`
	FIPName             string  `json:"fipName"`
	Bank                string  `json:"bank"`
	Balance             Decimal `json:"balance"`
	CurrentBalance      Decimal `json:"currentBalance"`
	Currency            string  `json:"currency"`
}

func (w *balanceWire) toBalance(asOf time.Time) Balance {
	b := Balance{
		LinkReferenceNumber: firstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              normFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             firstNonEmpty(w.FIPName, w.Bank),
		Balance:             Decimal(firstNonEmpty(string(w.Balance), string(w.CurrentBalance))),
		Currency:            firstNonEmpty(strings.TrimSpace(w.Currency), "INR"),
		AsOf:                asOf,
	}
	return b
}

// ---- getfidata ----

type accountDataWire struct {
	LinkReferenceNumber string           `json:"linkReferenceNumber"`
	LinkRefNumber       string           `json:"linkRefNumber"`
	MaskedAccountNumber string           `json:"maskedAccountNumber"`
	FIType              string           `json:"fiType"`
	FIPID               string           `json:"fipId"`
	FIPName             string           `json:"fipName"`
	Bank                string           `json:"bank"`
	Balance             Decimal          `json:"balance"`
	FIData              []txWire         `json:"fiData"`
	Transactions        txContainer      `json:"Transactions"`
	PageDetails         *pageDetailsWire `json:"pageDetails"`
}

// ---- getallfidata / getalllatestfidata ----

type fiAccountWire struct {
	LinkReferenceNumber string       `json:"linkReferenceNumber"`
	LinkRefNumber       string       `json:"linkRefNumber"`
	LinkedAccRef        string       `json:"linkedAccRef"`
	MaskedAccountNumber string       `json:"maskedAccountNumber"`
	MaskedAccNumber     string       `json:"maskedAccNumber"`
	FIType              string       `json:"fiType"`
	FIPID               string       `json:"fipId"`
	FIPName             string       `json:"fipName"`
	Bank                string       `json:"bank"`
	Profile             *profileWire `json:"Profile"`
	Summary             *summaryWire `json:"Summary"`
	Transactions        txContainer  `json:"Transactions"`
}

func (w *fiAccountWire) toFIAccount() FIAccount {
	a := FIAccount{
		LinkReferenceNumber: firstNonEmpty(w.LinkReferenceNumber, w.LinkRefNumber, w.LinkedAccRef),
		MaskedAccountNumber: firstNonEmpty(w.MaskedAccountNumber, w.MaskedAccNumber),
		FIType:              normFIType(w.FIType),
		FIPID:               w.FIPID,
		FIPName:             firstNonEmpty(w.Bank, w.FIPName),
		Transactions:        toTransactions(w.Transactions.Transaction),
		TransactionsStart:   w.Transactions.StartDate,
		TransactionsEnd:     w.Transactions.EndDate,
	}
	if w.Profile != nil {
		a.Profile = w.Profile.toProfile()
	}
	if w.Summary != nil {
		a.Summary = w.Summary.toSummary()
	}
	return a
}

// profileWire is Profile{Holders{type, Holder: {...} | [...]}}; the docs'
// placeholder shape puts holder directly under profile, which is accepted too.
type profileWire struct {
	Holders holdersWire           `json:"Holders"`
	Holder  oneOrMany[holderWire] `json:"Holder"`
	Type    string                `json:"type"`
}

type holdersWire struct {
	Type   string
	Holder []holderWire
}

func (h *holdersWire) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("finpro: empty value")
	}
	switch b[0] {
	case 'n':
		return nil
	case '[':
		return json.Unmarshal(b, &h.Holder)
	}
	var w struct {
		Type   string                `json:"type"`
		Holder oneOrMany[holderWire] `json:"Holder"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	h.Type, h.Holder = w.Type, w.Holder
	return nil
}

func (w *profileWire) toProfile() *Profile {
	hs := w.Holders.Holder
	if len(hs) == 0 {
		hs = w.Holder
	}
	p := &Profile{
		HoldersType: strings.ToUpper(strings.TrimSpace(firstNonEmpty(w.Holders.Type, w.Type))),
		Holders:     make([]Holder, len(hs)),
	}
	for i := range hs {
		p.Holders[i] = hs[i].toHolder()
	}
	if p.HoldersType == "" {
		p.HoldersType = "SINGLE"
		if len(hs) > 1 {
			p.HoldersType = "JOINT"
		}
	}
	return p
}

type holderWire struct {
	Name           string     `json:"name"`
	DOB            string     `json:"dob"`
	Mobile         flexString `json:"mobile"`
	Nominee        string     `json:"nominee"`
	Landline       flexString `json:"landline"`
	Address        string     `json:"address"`
	Email          string     `json:"email"`
	PAN            string     `json:"pan"`
	CKYCCompliance flexBool   `json:"ckycCompliance"`
	CKYCCompliant  flexBool   `json:"ckycCompliant"`
}

func (w *holderWire) toHolder() Holder {
	return Holder{
		Name:          w.Name,
		DOB:           w.DOB,
		Mobile:        string(w.Mobile),
		Nominee:       w.Nominee,
		Landline:      string(w.Landline),
		Address:       w.Address,
		Email:         w.Email,
		PAN:           w.PAN,
		CKYCCompliant: bool(w.CKYCCompliance || w.CKYCCompliant),
	}
}

// summaryWire keeps the Summary object's raw bytes for the FI-type plugins.
type summaryWire struct {
	raw    json.RawMessage
	fields summaryFields
}

type summaryFields struct {
	CurrentBalance  Decimal  `json:"currentBalance"`
	Currency        string   `json:"currency"`
	BalanceDateTime wireTime `json:"balanceDateTime"`
	Type            string   `json:"type"`
	Branch          string   `json:"branch"`
	IFSCCode        string   `json:"ifscCode"`
	IFSC            string   `json:"ifsc"`
	OpeningDate     string   `json:"openingDate"`
	Status          string   `json:"status"`
}

func (s *summaryWire) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &s.fields); err != nil {
		return err
	}
	s.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

func (s *summaryWire) toSummary() *Summary {
	f := &s.fields
	return &Summary{
		CurrentBalance:  f.CurrentBalance,
		Currency:        firstNonEmpty(strings.TrimSpace(f.Currency), "INR"),
		BalanceDateTime: time.Time(f.BalanceDateTime),
		Type:            f.Type,
		Branch:          f.Branch,
		IFSC:            firstNonEmpty(f.IFSCCode, f.IFSC),
		OpeningDate:     f.OpeningDate,
		Status:          f.Status,
		Raw:             s.raw,
	}
}

// ---- consent list ----

type consentWire struct {
	ConsentID          flexString            `json:"consentID"`
	ConsentHandle      flexString            `json:"consentHandle"`
	ConsentHandleSnake flexString            `json:"consent_handle"`
	Status             string                `json:"status"`
	ProductID          string                `json:"productID"`
	AccountID          string                `json:"accountID"`
	AAID               string                `json:"aaId"`
	VUA                string                `json:"vua"`
	FetchType          string                `json:"fetchType"`
	CreationData       wireTime              `json:"consentCreationData"`
	CreationDate       wireTime              `json:"consentCreationDate"`
	CreatedOn          wireTime              `json:"createdOn"`
	ExpirySnake        wireTime              `json:"consent_expiry"`
	Expiry             wireTime              `json:"consentExpiry"`
	Accounts           oneOrMany[linkedWire] `json:"accounts"`
}

func (w *consentWire) toConsent() Consent {
	c := Consent{
		ConsentID:     normConsentID(w.ConsentID),
		ConsentHandle: normConsentID(firstNonEmptyFlex(w.ConsentHandle, w.ConsentHandleSnake)),
		Status:        ConsentStatus(strings.ToUpper(strings.TrimSpace(w.Status))),
		ProductID:     w.ProductID,
		AccountID:     w.AccountID,
		AAID:          w.AAID,
		VUA:           w.VUA,
		FetchType:     strings.ToUpper(strings.TrimSpace(w.FetchType)),
		CreatedAt:     firstTime(w.CreationData, w.CreationDate, w.CreatedOn),
		ExpiresAt:     firstTime(w.ExpirySnake, w.Expiry),
	}
	if len(w.Accounts) > 0 {
		c.Accounts = make([]LinkedAccount, len(w.Accounts))
		for i := range w.Accounts {
			c.Accounts[i] = w.Accounts[i].toLinkedAccount()
		}
	}
	return c
}

func firstNonEmptyFlex(ss ...flexString) flexString {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

type linkedWire struct {
	AccountID           string            `json:"accountId"`
	FIPID               string            `json:"fipId"`
	FIPName             string            `json:"fipName"`
	MaskedAccountNumber string            `json:"maskedAccountNumber"`
	AccountType         string            `json:"accountType"`
	FITypes             oneOrMany[string] `json:"fiTypes"`
	FIType              string            `json:"fiType"`
	LinkRefNumber       string            `json:"linkRefNumber"`
	LinkReferenceNumber string            `json:"linkReferenceNumber"`
}

func (w *linkedWire) toLinkedAccount() LinkedAccount {
	ft := w.FIType
	if ft == "" && len(w.FITypes) > 0 {
		ft = w.FITypes[0]
	}
	return LinkedAccount{
		LinkReferenceNumber: firstNonEmpty(w.LinkRefNumber, w.LinkReferenceNumber),
		MaskedAccountNumber: w.MaskedAccountNumber,
		FIType:              normFIType(ft),
		FIPID:               w.FIPID,
		FIPName:             w.FIPName,
		AccountType:         w.AccountType,
	}
}

// ---- consent flow ----

type consentHandleWire struct {
	Status             string     `json:"status"`
	ConsentHandleSnake flexString `json:"consent_handle"`
	ConsentHandle      flexString `json:"consentHandle"`
}

type fiSessionWire struct {
	ConsentID flexString `json:"consentId"`
	SessionID flexString `json:"sessionId"`
}

type fiStatusWire struct {
	ConsentID      flexString            `json:"consentId"`
	ConsentHandle  flexString            `json:"consentHandle"`
	SessionID      flexString            `json:"sessionId"`
	EventType      string                `json:"eventType"`
	EventStatus    string                `json:"eventStatus"`
	FirstTimeFetch flexBool              `json:"firstTimeFetch"`
	LinkRefNumbers oneOrMany[fiAcctWire] `json:"linkRefNumbers"`
}

type fiAcctWire struct {
	LinkRefNumber       string `json:"linkRefNumber"`
	LinkReferenceNumber string `json:"linkReferenceNumber"`
	FIStatus            string `json:"fiStatus"`
	FIPID               string `json:"fipId"`
	FIPName             string `json:"fipName"`
	MaskedAccountNumber string `json:"maskedAccountNumber"`
}
