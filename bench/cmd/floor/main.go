// Command floor is the benchmark's practical floor: a hand-written Go handler
// that answers the three benchmark queries (bench/queries) with the same FinPro
// calls as the BFF and byte-identical JSON, without GraphQL.
//
// It ignores the query text and picks the answer by operationName (Dashboard,
// Consents or Trivial). Q-dashboard costs one consent list call, one
// getfibalance per ACTIVE consent and one getfidata per account, the per-consent
// and per-account calls in parallel. Like the BFF, it reads an account's latest
// transactions as one limit/offset window ending at the account's transaction
// count remembered from an earlier query and confirmed by the page; without a
// count, a probe of the first rows then the window (see latest).
//
// Configuration comes from the environment: PORT (default 8081), FINPRO_BASE_URL
// and FINPRO_CLIENT_ID, FINPRO_CLIENT_SECRET, FINPRO_ORGANISATION_ID,
// FINPRO_APP_IDENTIFIER (default: the sandbox's credentials).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/sandbox"
)

const (
	mobile  = "9876543210"
	product = "PFM_DASHBOARD"
	page    = 20 // the BFF's default consent page size
	last    = 20 // transactions(last: 20)
)

func main() {
	// The BFF's GC target (see defaultGOGC in the repository root's
	// server.go), so that the floor is compared like for like.
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	env := func(k, def string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return def
	}
	c, err := finpro.New(finpro.Options{
		BaseURL: env("FINPRO_BASE_URL", "http://127.0.0.1:8090"),
		Credentials: finpro.Credentials{
			ClientID:       env("FINPRO_CLIENT_ID", sandbox.DefaultClientID),
			ClientSecret:   env("FINPRO_CLIENT_SECRET", sandbox.DefaultClientSecret),
			OrganisationID: env("FINPRO_ORGANISATION_ID", sandbox.DefaultOrganisationID),
			AppIdentifier:  env("FINPRO_APP_IDENTIFIER", sandbox.DefaultAppIdentifier),
		},
	})
	if err != nil {
		return err
	}
	addr := net.JoinHostPort("127.0.0.1", env("PORT", "8081"))
	mux := http.NewServeMux()
	mux.Handle("POST /graphql", &handler{c: c, counts: loaders.NewCounts(loaders.CountsOptions{})})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Printf("floor listening on http://%s", addr)
	return srv.ListenAndServe()
}

type handler struct {
	c      *finpro.Client
	counts *loaders.Counts
}

// latest returns the last n transactions of an account: the same strategy and
// calls as the BFF's transactions(last: n).
func (h *handler) latest(ctx context.Context, consentID, linkRef string, n int) ([]finpro.Transaction, error) {
	read := func(offset, limit int) (*finpro.AccountData, error) {
		d, err := h.c.FIData(ctx, finpro.FIDataRequest{ConsentID: consentID, LinkReferenceNumber: linkRef, Limit: limit, Offset: offset})
		if err == nil && d.TotalRecords >= 0 {
			h.counts.Put(consentID, linkRef, d.TotalRecords)
		}
		return d, err
	}
	var (
		d   *finpro.AccountData
		err error
	)
	if guess, ok := h.counts.Get(consentID, linkRef); ok && guess > 0 {
		if d, err = read(max(0, guess-n), min(n, guess)); err != nil || d.TotalRecords == guess {
			return txs(d), err
		}
	} else {
		if d, err = read(0, n); err != nil || (d.TotalRecords >= 0 && d.TotalRecords <= n) || (d.TotalRecords < 0 && len(d.Transactions) < n) {
			return txs(d), err
		}
	}
	if total := d.TotalRecords; total >= 0 {
		if total == 0 {
			return nil, nil
		}
		d, err = read(max(0, total-n), min(n, total))
		return txs(d), err
	}
	if d, err = read(0, 0); err != nil {
		return nil, err
	}
	return d.Transactions[max(0, len(d.Transactions)-n):], nil
}

func txs(d *finpro.AccountData) []finpro.Transaction {
	if d == nil {
		return nil
	}
	return d.Transactions
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OperationName string `json:"operationName"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	var (
		buf bytes.Buffer
		err error
	)
	switch req.OperationName {
	case "Dashboard":
		err = h.dashboard(r.Context(), &buf)
	case "Consents":
		err = h.consents(r.Context(), &buf)
	case "Trivial":
		buf.WriteString(`{"data":{"__typename":"Query"}}`)
	default:
		err = fmt.Errorf("unknown operationName %q", req.OperationName)
	}
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		buf.Reset()
		buf.WriteString(`{"errors":[{"message":`)
		quote(&buf, err.Error())
		buf.WriteString(`}],"data":null}`)
		w.Write(buf.Bytes())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}

// keep reports whether the BFF would show consent c for the status filter.
func keep(c finpro.Consent, status finpro.ConsentStatus) bool {
	return (c.ProductID == "" || c.ProductID == product) && (status == "" || c.Status == status)
}

func (h *handler) consents(ctx context.Context, buf *bytes.Buffer) error {
	p, err := h.c.Consents(ctx, finpro.ConsentListRequest{MobileNumber: mobile, ProductID: product, PageNumber: 1, PageSize: page})
	if err != nil {
		return err
	}
	buf.WriteString(`{"data":{"customer":{"consents":{"edges":[`)
	n := 0
	for _, c := range p.Consents[:min(page, len(p.Consents))] {
		if !keep(c, "") {
			continue
		}
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		buf.WriteString(`{"node":{"consentHandle":`)
		quoteOrNull(buf, c.ConsentHandle)
		buf.WriteString(`,"consentID":`)
		quoteOrNull(buf, c.ConsentID)
		buf.WriteString(`,"status":`)
		quote(buf, string(c.Status))
		buf.WriteString(`}}`)
	}
	buf.WriteString(`]}}}}`)
	return nil
}

// account is one account's upstream answers.
type account struct {
	bal *finpro.Balance
	txs []finpro.Transaction
	err error
}

func (h *handler) dashboard(ctx context.Context, buf *bytes.Buffer) error {
	p, err := h.c.Consents(ctx, finpro.ConsentListRequest{
		MobileNumber: mobile, ProductID: product,
		Status:     []finpro.ConsentStatus{finpro.ConsentActive},
		PageNumber: 1, PageSize: page,
	})
	if err != nil {
		return err
	}
	var cs []finpro.Consent
	for _, c := range p.Consents[:min(page, len(p.Consents))] {
		if keep(c, finpro.ConsentActive) {
			cs = append(cs, c)
		}
	}
	accs := make([][]account, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		accs[i] = make([]account, len(c.Accounts))
		wg.Go(func() {
			bs, err := h.c.Balances(ctx, c.ConsentID)
			for j, la := range c.Accounts {
				a := &accs[i][j]
				switch {
				case err != nil:
					a.err = errors.Join(a.err, err)
				default:
					for k := range bs {
						if bs[k].LinkReferenceNumber == la.LinkReferenceNumber {
							a.bal = &bs[k]
							break
						}
					}
					if a.bal == nil {
						a.err = errors.Join(a.err, fmt.Errorf("balance of account %s: %w", la.LinkReferenceNumber, finpro.ErrNotFound))
					}
				}
			}
		})
		for j, la := range c.Accounts {
			wg.Go(func() {
				accs[i][j].txs, accs[i][j].err = h.latest(ctx, c.ConsentID, la.LinkReferenceNumber, last)
			})
		}
	}
	wg.Wait()

	buf.WriteString(`{"data":{"customer":{"consents":{"edges":[`)
	for i, c := range cs {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"node":{"consentHandle":`)
		quoteOrNull(buf, c.ConsentHandle)
		buf.WriteString(`,"accounts":[`)
		for j, la := range c.Accounts {
			a := accs[i][j]
			if a.err != nil {
				return a.err
			}
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(`{"linkReferenceNumber":`)
			quote(buf, la.LinkReferenceNumber)
			buf.WriteString(`,"maskedAccountNumber":`)
			quote(buf, la.MaskedAccountNumber)
			buf.WriteString(`,"balance":{"amount":`)
			quote(buf, string(a.bal.Balance))
			buf.WriteString(`,"currency":`)
			cur := a.bal.Currency
			if cur == "" {
				cur = "INR"
			}
			quote(buf, cur)
			buf.WriteString(`},"transactions":{"edges":[`)
			for k, t := range a.txs {
				if k > 0 {
					buf.WriteByte(',')
				}
				buf.WriteString(`{"node":{"txnId":`)
				quote(buf, t.TxnID)
				buf.WriteString(`,"amount":`)
				quote(buf, string(t.Amount))
				buf.WriteString(`,"currentBalance":`)
				quoteOrNull(buf, string(t.CurrentBalance))
				buf.WriteString(`,"narration":`)
				quoteOrNull(buf, t.Narration)
				buf.WriteString(`}}`)
			}
			buf.WriteString(`]}}`)
		}
		buf.WriteString(`]}}`)
	}
	buf.WriteString(`]}}}}`)
	return nil
}

// quoteOrNull writes s as a JSON string, or null when it is empty (the BFF's
// optional fields).
func quoteOrNull(buf *bytes.Buffer, s string) {
	if s == "" {
		buf.WriteString("null")
		return
	}
	quote(buf, s)
}

const hex = "0123456789abcdef"

// quote writes s as a JSON string escaped exactly as gqlgen escapes it.
func quote(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '\\' && c != '"' {
			continue
		}
		buf.WriteString(s[start:i])
		switch c {
		case '\t':
			buf.WriteString(`\t`)
		case '\r':
			buf.WriteString(`\r`)
		case '\n':
			buf.WriteString(`\n`)
		case '\\':
			buf.WriteString(`\\`)
		case '"':
			buf.WriteString(`\"`)
		default:
			buf.WriteString(`\u00`)
			buf.WriteByte(hex[c>>4])
			buf.WriteByte(hex[c&0xf])
		}
		start = i + 1
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}
