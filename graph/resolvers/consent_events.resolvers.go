package resolvers

import (
	"context"

	"github.com/moneyone-bff/finpro-bff/graph/generated"
	"github.com/moneyone-bff/finpro-bff/graph/model"
)

// Consent looks the event's consent up in the customer's consent list; null
// when the list does not show it (see eventConsent).
func (r *consentStatusEventResolver) Consent(ctx context.Context, obj *model.ConsentStatusEvent) (*model.Consent, error) {
	return r.eventConsent(ctx, obj)
}

// ConsentStatusChanged streams consent status changes from the event source,
// resuming after the after cursor (see consentEvents).
func (r *subscriptionResolver) ConsentStatusChanged(ctx context.Context, productID string, mobileNumber *string, consentHandle *string, after *string) (<-chan *model.ConsentStatusEvent, error) {
	return r.consentEvents(ctx, productID, mobileNumber, consentHandle, after)
}

// ConsentStatusEvent returns generated.ConsentStatusEventResolver implementation.
func (r *Resolver) ConsentStatusEvent() generated.ConsentStatusEventResolver {
	return &consentStatusEventResolver{r}
}

// Subscription returns generated.SubscriptionResolver implementation.
func (r *Resolver) Subscription() generated.SubscriptionResolver { return &subscriptionResolver{r} }

type (
	consentStatusEventResolver struct{ *Resolver }
	subscriptionResolver       struct{ *Resolver }
)
