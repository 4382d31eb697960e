package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/moneyone-bff/finpro-bff/internal/apierr"
	"github.com/moneyone-bff/finpro-bff/internal/finpro"
)

func apiErr(kind error, code string) error {
	return fmt.Errorf("balances of consent c1: %w", &finpro.APIError{Endpoint: "/getfibalance", Status: 400, Code: code, Message: "secret upstream text", Kind: kind})
}

func TestClassify(t *testing.T) {
	validation := gqlerror.Errorf("Cannot query field \"nope\" on type \"Query\".")
	errcode.Set(validation, errcode.ValidationFailed)
	complexity := gqlerror.Errorf("operation has complexity 2000, which exceeds the limit of 1000")
	errcode.Set(complexity, "COMPLEXITY_LIMIT_EXCEEDED")
	tests := []struct {
		name       string
		err        error
		wantCode   apierr.Code
		wantFinpro string
		wantMsg    string
	}{
		{"not found", apiErr(finpro.ErrNotFound, "InvalidConsentId"), apierr.NotFound, "InvalidConsentId", msgNotFound},
		{"deleted", apiErr(finpro.ErrDataDeleted, "DataIsDeleted"), apierr.NotFound, "DataIsDeleted", msgNotFound},
		{"inactive", apiErr(finpro.ErrConsentInactive, "ConsentNotActive"), apierr.ConsentInactive, "ConsentNotActive", msgConsentInactive},
		{"not ready", apiErr(finpro.ErrNotReady, "DataNotAvailable"), apierr.DataNotReady, "DataNotAvailable", msgNotReady},
		{"rate limited", apiErr(finpro.ErrRateLimited, "RateLimitExceeded"), apierr.RateLimited, "RateLimitExceeded", msgRateLimited},
		{"unavailable", apiErr(finpro.ErrUnavailable, ""), apierr.UpstreamUnavailable, "", msgUnavailable},
		{"our credentials", apiErr(finpro.ErrUnauthorized, "Unauthorized"), apierr.UpstreamUnavailable, "Unauthorized", msgUnavailable},
		{"timeout", apiErr(finpro.ErrTimeout, ""), apierr.UpstreamTimeout, "", msgTimeout},
		{"deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), apierr.UpstreamTimeout, "", msgTimeout},
		{"invalid", apiErr(finpro.ErrInvalidRequest, "InvalidRequest"), apierr.BadUserInput, "InvalidRequest", msgUpstreamInput},
		{"public", apierr.BadInput("first must be between 1 and 100"), apierr.BadUserInput, "", "first must be between 1 and 100"},
		{"wrapped in gqlerror", gqlerror.WrapPath(nil, apiErr(finpro.ErrNotFound, "InvalidLinkReference")), apierr.NotFound, "InvalidLinkReference", msgNotFound},
		{"validation", validation, apierr.BadUserInput, "", validation.Message},
		{"complexity", complexity, apierr.ComplexityLimitExceeded, "", complexity.Message},
		{"json body echo", gqlerror.Errorf("json request body could not be decoded: x body:{\"mobile\":\"9876543210\"}"), apierr.BadUserInput, "", "request body is not a valid GraphQL request"},
		{"anything else", errors.New("pq: connection refused at 10.0.0.1"), apierr.Internal, "", msgInternal},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := classify(tc.err)
			if got.code != tc.wantCode || got.finproCode != tc.wantFinpro || got.message != tc.wantMsg {
				t.Errorf("classify(%v) = %+v, want code %s, finproCode %q, message %q", tc.err, got, tc.wantCode, tc.wantFinpro, tc.wantMsg)
			}
		})
	}
}

func TestRetryAfterExtension(t *testing.T) {
	err := &finpro.APIError{Endpoint: "/getfidata", Status: 429, Code: "RateLimitExceeded", RetryAfter: 1500 * time.Millisecond, Kind: finpro.ErrRateLimited}
	got := errorPresenter(slog.New(slog.DiscardHandler))(context.Background(), err)
	if got.Extensions["code"] != "RATE_LIMITED" || got.Extensions["retryAfterSeconds"] != 2 {
		t.Errorf("extensions = %v, want RATE_LIMITED with retryAfterSeconds 2", got.Extensions)
	}
}

func TestRecoverFunc(t *testing.T) {
	err := recoverFunc(slog.New(slog.DiscardHandler))(context.Background(), "boom: secret")
	got := errorPresenter(slog.New(slog.DiscardHandler))(context.Background(), err)
	if got.Message != msgInternal || got.Extensions["code"] != "INTERNAL" {
		t.Errorf("presented panic = %q %v, want %q INTERNAL", got.Message, got.Extensions, msgInternal)
	}
}

func BenchmarkErrorPresenter(b *testing.B) {
	present := errorPresenter(slog.New(slog.DiscardHandler))
	err := gqlerror.WrapPath(nil, apiErr(finpro.ErrNotReady, "DataNotAvailable"))
	ctx := context.Background()
	for b.Loop() {
		present(ctx, err)
	}
}
