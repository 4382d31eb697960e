package resolvers

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/fitype"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/graph/relay"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/auth"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
	"github.com/moneyone-bff/finpro-bff/internal/mobile"
)

// MaxNodes is the most ids one nodes(ids:) takes.
const MaxNodes = 100

// errNotFound is the one answer for an object the caller cannot see, whether
// it exists or not.
func errNotFound() error { return apierr.New(apierr.NotFound, "not found") }

// placeConsent finds a consent known only by reference (a global ID's, or a
// mutation's consentID) and checks the caller may see it, exactly as on the
// customer path: its customer (the VUA's mobile) for a customer-bound token,
// its product for a token limited to products, and productArg when given. A
// consent the caller cannot place answers NOT_FOUND, exactly as one that does
// not exist, and costs one /v3/getconsentslist call (shared by the lookups of
// the operation).
func placeConsent(ctx context.Context, p auth.Principal, ref loaders.ConsentRef, productArg *string) (*model.Consent, error) {
	if productArg != nil {
		if err := args.ID("productID", *productArg); err != nil {
			return nil, err
		}
	}
	row, err := loaders.ConsentByRef(ctx, ref)
	if errors.Is(err, finpro.ErrNotFound) && !isAPIError(err) {
		return nil, errNotFound()
	}
	if err != nil {
		return nil, err
	}
	owner, _, _ := strings.Cut(row.VUA, "@")
	switch {
	case row.ProductID == "" || !p.AllowsProduct(row.ProductID):
		return nil, errNotFound()
	case productArg != nil && *productArg != row.ProductID:
		return nil, errNotFound()
	case p.Bound() && (!mobile.Valid(owner) || !p.AllowsCustomer(owner)):
		return nil, errNotFound()
	}
	return model.ConsentFromFinpro(*row), nil
}

// inactive is CONSENT_INACTIVE for c, with its status in extensions
// (consentStatus) so the client knows what to do: wait for a PENDING
// consent's answer, request a new one after REJECTED, REVOKED or EXPIRED.
func inactive(c *model.Consent) error {
	return apierr.WithExtensions(apierr.New(apierr.ConsentInactive, "consent is %s, not active", strings.ToLower(string(c.Status))),
		map[string]any{"consentStatus": string(c.Status)})
}

// isAPIError reports whether err came from a FinPro answer (as opposed to an
// object missing from a successful answer).
func isAPIError(err error) bool {
	_, ok := errors.AsType[*finpro.APIError](err)
	return ok
}

// consentArg resolves a mutation's consent, given by global ID or by FinPro
// consent ID (exactly one), and places it.
func (r *Resolver) consentArg(ctx context.Context, id, consentID, productID *string) (*model.Consent, error) {
	var ref loaders.ConsentRef
	switch {
	case (id == nil) == (consentID == nil):
		return nil, apierr.BadInput("give exactly one of id and consentID")
	case id != nil:
		var err error
		if ref, err = args.ConsentID(*id); err != nil {
			return nil, err
		}
	default:
		if err := args.ID("consentID", *consentID); err != nil {
			return nil, err
		}
		ref = loaders.ConsentRef{ConsentID: *consentID}
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := placeConsent(ctx, p, ref, productID)
	if err != nil {
		return nil, err
	}
	if c.FinproID() == "" {
		return nil, inactive(c)
	}
	return c, nil
}

// Node fetches any object by global ID, authorized as on the path that
// returned it.
func (r *queryResolver) Node(ctx context.Context, id string) (model.Node, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return r.node(ctx, p, id)
}

// Nodes fetches up to MaxNodes objects; each that fails is null with its
// error at its index. Their consent lookups share calls (one per kind of
// reference: the loader batches them).
func (r *queryResolver) Nodes(ctx context.Context, ids []string) ([]model.Node, error) {
	if len(ids) > MaxNodes {
		return nil, apierr.BadInput("ids holds more than %d ids", MaxNodes)
	}
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var refs []loaders.ConsentRef
	for _, id := range ids {
		if n, err := relay.DecodeID("id", id, r.ids); err == nil && n.Type != relay.TypeCustomer {
			if ref, err := args.Ref(n.Parts[0]); err == nil {
				refs = append(refs, ref)
			}
		}
	}
	loaders.PrimeConsents(ctx, refs) // one placement call, however the goroutines below are scheduled
	out := make([]model.Node, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { out[i], errs[i] = r.node(ctx, p, id) })
	}
	wg.Wait()
	path := graphql.GetPath(ctx)
	for i, err := range errs {
		if err != nil {
			at := append(append(ast.Path(nil), path...), ast.PathIndex(i))
			graphql.AddError(ctx, &gqlerror.Error{Err: err, Message: err.Error(), Path: at})
		}
	}
	return out, nil
}

// node is the object with this global ID, placed for p.
func (r *Resolver) node(ctx context.Context, p auth.Principal, id string) (model.Node, error) {
	n, err := relay.DecodeID("id", id, r.ids)
	if err != nil {
		return nil, err
	}
	if n.Type == relay.TypeCustomer {
		if len(n.Parts) != 2 {
			return nil, apierr.BadInput("id is not a valid id")
		}
		return customerFor(p, n.Parts[0], n.Parts[1])
	}
	ref, err := args.Ref(n.Parts[0])
	if err != nil {
		return nil, err
	}
	c, err := placeConsent(ctx, p, ref, nil)
	if err != nil {
		return nil, err
	}
	if n.Type == relay.TypeConsent {
		return c, nil
	}
	acc := r.linkedAccount(c, n.Parts[1])
	if acc == nil {
		return nil, errNotFound()
	}
	if n.Type == relay.TypeAccount {
		return acc, nil
	}
	if !p.HasScope(auth.ScopeTransactionsRead) {
		return nil, notAllowed() // as Account.transactions' @auth would
	}
	unix, err := strconv.ParseInt(n.Parts[2], 10, 64)
	if err != nil {
		return nil, apierr.BadInput("id is not a valid id")
	}
	t, err := acc.Base().TransactionAt(ctx, time.Unix(unix, 0), n.Parts[3])
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, errNotFound()
	}
	return t, nil
}

// linkedAccount returns the consent's account with linkRef, nil when the
// consent does not link it.
func (r *Resolver) linkedAccount(c *model.Consent, linkRef string) fitype.Account {
	for _, la := range c.Linked {
		if la.LinkReferenceNumber == linkRef {
			return r.plugins.Account(c, la)
		}
	}
	return nil
}
