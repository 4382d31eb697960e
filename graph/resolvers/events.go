package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/args"
	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/live"
	"github.com/moneyone-bff/finpro-bff/graph/model"
	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/events"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// msgNeedsCustomer: a subscription names neither a customer nor a consent.
const msgNeedsCustomer = "mobileNumber or consentHandle is required"

// ConsentStatusChanged streams consent status changes from the live feed,
// resuming after the after cursor (see live.Subscribe).
func (r *subscriptionResolver) ConsentStatusChanged(ctx context.Context, productID string, mobileNumber *string, consentHandle *string, after *string) (<-chan *model.ConsentStatusEvent, error) {
	req, err := eventsRequest(ctx, productID, mobileNumber, consentHandle, after)
	if err != nil {
		return nil, err
	}
	return live.Subscribe(ctx, r.live, req, model.ConsentStatusEventFrom)
}

// ConsentEvents streams consent status changes and the ends of data fetches,
// in the feed's order, with one cursor sequence (see live.Subscribe).
func (r *subscriptionResolver) ConsentEvents(ctx context.Context, productID string, mobileNumber *string, consentHandle *string, after *string) (<-chan model.ConsentEvent, error) {
	req, err := eventsRequest(ctx, productID, mobileNumber, consentHandle, after)
	if err != nil {
		return nil, err
	}
	req.IncludeData = true
	return live.Subscribe(ctx, r.live, req, model.ConsentEventFrom)
}

// eventsRequest checks a subscription's arguments, before any subscription
// exists, and authorizes it: the events of a customer (mobileNumber, by
// default the caller's own) or of one consent (consentHandle) under
// productID, resumed after the after cursor; the subscription ends at the
// token's expiry.
func eventsRequest(ctx context.Context, productID string, mobileArg, handleArg, after *string) (live.Request, error) {
	if err := args.ID("productID", productID); err != nil {
		return live.Request{}, err
	}
	p, err := principal(ctx)
	if err != nil {
		return live.Request{}, err
	}
	req := live.Request{Mobile: p.Mobile, ProductID: productID, Expires: p.ExpiresAt}
	if mobileArg != nil {
		if err := args.Mobile("mobileNumber", *mobileArg); err != nil {
			return live.Request{}, err
		}
		req.Mobile = *mobileArg
	}
	if handleArg != nil {
		if err := args.ID("consentHandle", *handleArg); err != nil {
			return live.Request{}, err
		}
		req.ConsentHandle = *handleArg
	}
	if req.Mobile == "" && req.ConsentHandle == "" {
		return live.Request{}, apierr.BadInput(msgNeedsCustomer)
	}
	if after != nil {
		seq, err := events.ParseCursor(*after)
		if err != nil {
			return live.Request{}, &apierr.Error{Code: apierr.BadUserInput, Message: "after is not a valid cursor", Err: err}
		}
		req.ResumeAfter = seq
	}
	if err := authorizeConsentEvents(p, req.Mobile, productID); err != nil {
		return live.Request{}, err
	}
	return req, nil
}

// Consent looks the event's consent up in the customer's consent list; null
// when the list does not show it (see eventConsent).
func (r *consentStatusEventResolver) Consent(ctx context.Context, obj *model.ConsentStatusEvent) (*model.Consent, error) {
	return eventConsent(ctx, obj.MobileNumber, obj.ProductID, obj.ConsentHandle)
}

// Consent looks the event's consent up as ConsentStatusEvent's is.
func (r *dataStatusEventResolver) Consent(ctx context.Context, obj *model.DataStatusEvent) (*model.Consent, error) {
	return eventConsent(ctx, obj.MobileNumber, obj.ProductID, obj.ConsentHandle)
}

// eventConsent looks an event's consent up in the customer's consent list
// (one call per batch: a subscription's loaders forget their cache after each
// batch, so every event sees the list as it is). A consent the list does not
// show under the product gives nil. A subscription by handle alone (no
// customer) looks the consent up by its handle instead, placed as node is.
func eventConsent(ctx context.Context, mobile, productID, handle string) (*model.Consent, error) {
	if mobile == "" {
		p, err := principal(ctx)
		if err != nil {
			return nil, err
		}
		c, err := placeConsent(ctx, p, loaders.ConsentRef{Handle: handle}, &productID)
		if ae, ok := apierr.As(err); ok && ae.Code == apierr.NotFound {
			return nil, nil
		}
		return c, err
	}
	page, err := loaders.Consents(ctx, loaders.ConsentsKey{MobileNumber: mobile, ProductID: productID})
	if err != nil {
		return nil, err
	}
	for _, row := range page.Consents {
		if row.ConsentHandle == handle && model.KeepConsent(row, productID, nil) {
			return model.ConsentFromFinpro(row), nil
		}
	}
	return nil, nil
}

// ConsentStatusEvent returns the ConsentStatusEvent resolvers.
func (r *Resolver) ConsentStatusEvent() generated.ConsentStatusEventResolver {
	return &consentStatusEventResolver{r}
}

// Subscription returns the Subscription resolvers.
func (r *Resolver) Subscription() generated.SubscriptionResolver { return &subscriptionResolver{r} }

type (
	consentStatusEventResolver struct{ *Resolver }
	dataStatusEventResolver    struct{ *Resolver }
	subscriptionResolver       struct{ *Resolver }
)
