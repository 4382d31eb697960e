package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
	"github.com/moneyone-bff/finpro-bff/internal/loaders"
)

// Messages of errors that come from FinPro. They name the class of failure only:
// FinPro's errorMsg, bodies, URLs and headers never reach a client.
const (
	msgNotFound        = "not found"
	msgConsentInactive = "consent is not active"
	msgNotReady        = "data is not ready yet; request data and retry later"
	msgRateLimited     = "too many requests to FinPro; retry later"
	msgUnavailable     = "FinPro is unavailable; retry later"
	msgTimeout         = "FinPro did not answer in time; retry later"
	msgUpstreamInput   = "FinPro rejected the request's input"
	msgInternal        = "internal error"
	msgCallBudget      = "the operation made as many FinPro calls as it may; ask for less in one operation"
)

// presented is an error as a client sees it.
type presented struct {
	code       apierr.Code
	message    string
	finproCode string
	retryAfter int // seconds; 0 when unknown
	// extensions are the error's own, e.g. dataState for DATA_NOT_READY.
	extensions map[string]any
}

// classify maps any error a resolver, the executor or a transport produced to
// the error contract (architecture.md §6). It is an allow-list: what it does
// not recognise is INTERNAL with a fixed message.
func classify(err error) presented {
	var p presented
	if e, ok := errors.AsType[*finpro.APIError](err); ok {
		p.finproCode = e.Code
		if e.RetryAfter > 0 {
			p.retryAfter = int((e.RetryAfter + time.Second - 1) / time.Second)
		}
	}
	if e, ok := apierr.As(err); ok {
		p.code, p.message = e.Code, e.Message
		return p
	}
	switch {
	case errors.Is(err, finpro.ErrCallBudget):
		p.code, p.message = apierr.ComplexityLimitExceeded, msgCallBudget
	case errors.Is(err, finpro.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		p.code, p.message = apierr.UpstreamTimeout, msgTimeout
	case errors.Is(err, finpro.ErrRateLimited):
		p.code, p.message = apierr.RateLimited, msgRateLimited
	case errors.Is(err, finpro.ErrUnavailable), errors.Is(err, finpro.ErrUnauthorized):
		// ErrUnauthorized is FinPro refusing the BFF's own credentials, not the caller's.
		p.code, p.message = apierr.UpstreamUnavailable, msgUnavailable
	case errors.Is(err, finpro.ErrConsentInactive):
		p.code, p.message = apierr.ConsentInactive, msgConsentInactive
		if e, ok := errors.AsType[*loaders.InactiveError](err); ok {
			p.extensions = map[string]any{"consentStatus": string(e.Status)}
		}
	case errors.Is(err, finpro.ErrNotReady), errors.Is(err, finpro.ErrNoNewData):
		p.code, p.message = apierr.DataNotReady, msgNotReady
		if e, ok := errors.AsType[*loaders.NotReadyError](err); ok {
			p.message = notReadyMessage(e.State)
			p.extensions = map[string]any{"dataState": string(e.State)}
		}
	case errors.Is(err, finpro.ErrNotFound), errors.Is(err, finpro.ErrDataDeleted):
		p.code, p.message = apierr.NotFound, msgNotFound
	case errors.Is(err, finpro.ErrInvalidRequest):
		p.code, p.message = apierr.BadUserInput, msgUpstreamInput
	default:
		p = classifyGraphQL(err)
	}
	return p
}

// notReadyMessage says what to do about data in this fetch state.
func notReadyMessage(st finpro.FetchState) string {
	switch st {
	case finpro.FetchPending:
		return "data is being fetched from the FIPs; it is readable once DATA_READY arrives (consentEvents)"
	case finpro.FetchDenied:
		return "the FIPs refused to share the data; request data again later"
	case finpro.FetchNotRequested, finpro.FetchTimedOut, finpro.FetchExpired:
		return "no data is fetched for this consent; call requestData, then wait for DATA_READY"
	}
	return msgNotReady
}

// classifyGraphQL maps the executor's and transports' own errors.
func classifyGraphQL(err error) presented {
	gqlErr, ok := errors.AsType[*gqlerror.Error](err)
	if !ok || gqlErr.Err != nil {
		return presented{code: apierr.Internal, message: msgInternal}
	}
	code, _ := gqlErr.Extensions["code"].(string)
	switch code {
	case errcode.ValidationFailed, errcode.ParseFailed:
		// Messages about the client's own query: safe to show.
		return presented{code: apierr.BadUserInput, message: gqlErr.Message}
	case "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED":
		// APQ clients match on the message ("PersistedQueryNotFound").
		return presented{code: apierr.BadUserInput, message: gqlErr.Message}
	case string(apierr.ComplexityLimitExceeded):
		return presented{code: apierr.ComplexityLimitExceeded, message: gqlErr.Message}
	}
	switch {
	case strings.HasPrefix(gqlErr.Message, "json request body could not be decoded"),
		strings.HasPrefix(gqlErr.Message, "could not read request body"):
		// Never echo the message: the transport appends the raw body to it.
		return presented{code: apierr.BadUserInput, message: "request body is not a valid GraphQL request"}
	}
	return presented{code: apierr.Internal, message: msgInternal}
}

// errorPresenter returns the server's one error presenter. It keeps the path and
// locations, replaces the message and extensions with the contract's, and logs
// internal and upstream failures once (error text only: no bodies, no PII).
func errorPresenter(logger *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		base := graphql.DefaultErrorPresenter(ctx, err)
		p := classify(err)
		switch p.code {
		case apierr.Internal:
			if !errors.Is(err, context.Canceled) && !isRecovered(err) {
				logger.ErrorContext(ctx, "graphql internal error", "path", base.Path.String(), "err", err.Error())
			}
		case apierr.UpstreamUnavailable, apierr.UpstreamTimeout, apierr.RateLimited:
			logger.WarnContext(ctx, "graphql upstream error", "path", base.Path.String(), "err", err.Error())
		}
		out := &gqlerror.Error{
			Message:    p.message,
			Path:       base.Path,
			Locations:  base.Locations,
			Rule:       base.Rule,
			Extensions: map[string]any{"code": string(p.code)},
		}
		if p.finproCode != "" {
			out.Extensions["finproCode"] = p.finproCode
		}
		if p.retryAfter > 0 {
			out.Extensions["retryAfterSeconds"] = p.retryAfter
		}
		for k, v := range p.extensions {
			out.Extensions[k] = v
		}
		for k, v := range apierr.ExtensionsOf(err) {
			if _, taken := out.Extensions[k]; !taken {
				out.Extensions[k] = v
			}
		}
		return out
	}
}

// errRecovered marks the error recoverFunc returns: the panic was logged there.
var errRecovered = errors.New("recovered panic")

func isRecovered(err error) bool { return errors.Is(err, errRecovered) }

// recoverFunc returns the server's recover func: a panicking resolver fails its
// field alone with INTERNAL; the value and stack go to the log, never to the
// client.
func recoverFunc(logger *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		logger.ErrorContext(ctx, "graphql resolver panic", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		return &apierr.Error{Code: apierr.Internal, Message: msgInternal, Err: errRecovered}
	}
}
