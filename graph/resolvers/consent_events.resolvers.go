package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/model"
)

// Consent looks the event's consent up in the customer's consent list; null
// when the list does not show it (see eventConsent).
func (r *consentStatusEventResolver) Consent(ctx context.Context, obj *model.ConsentStatusEvent) (*model.Consent, error) {
	return r.eventConsent(ctx, obj.MobileNumber, obj.ProductID, obj.ConsentHandle)
}

// Consent looks the event's consent up as ConsentStatusEvent's is.
func (r *dataStatusEventResolver) Consent(ctx context.Context, obj *model.DataStatusEvent) (*model.Consent, error) {
	return r.eventConsent(ctx, obj.MobileNumber, obj.ProductID, obj.ConsentHandle)
}

// ConsentStatusChanged streams consent status changes from the event source,
// resuming after the after cursor (see consentEvents).
func (r *subscriptionResolver) ConsentStatusChanged(ctx context.Context, productID string, mobileNumber *string, consentHandle *string, after *string) (<-chan *model.ConsentStatusEvent, error) {
	return subscribe(ctx, r.Resolver, productID, mobileNumber, consentHandle, after, false, model.ConsentStatusEventFrom)
}

// ConsentEvents streams consent status changes and the ends of data fetches,
// in the feed's order, with one cursor sequence (see subscribe).
func (r *subscriptionResolver) ConsentEvents(ctx context.Context, productID string, mobileNumber *string, consentHandle *string, after *string) (<-chan model.ConsentEvent, error) {
	return subscribe(ctx, r.Resolver, productID, mobileNumber, consentHandle, after, true, model.ConsentEventFrom)
}

// ConsentStatusEvent returns generated.ConsentStatusEventResolver implementation.
func (r *Resolver) ConsentStatusEvent() generated.ConsentStatusEventResolver {
	return &consentStatusEventResolver{r}
}

// Subscription returns generated.SubscriptionResolver implementation.
func (r *Resolver) Subscription() generated.SubscriptionResolver { return &subscriptionResolver{r} }

type (
	consentStatusEventResolver struct{ *Resolver }
	dataStatusEventResolver    struct{ *Resolver }
	subscriptionResolver       struct{ *Resolver }
)
