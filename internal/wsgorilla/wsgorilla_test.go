package wsgorilla_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"

	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/gorillaconn"
	"github.com/moneyone-bff/finpro-bff/internal/wsgorilla/wsgorillatest"
)

func TestInitRejected(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.Name, func(t *testing.T) {
			h := wsgorillatest.Start(t, gorillaconn.Options{}, transport.Websocket{
				InitFunc: func(ctx context.Context, _ transport.InitPayload) (context.Context, *transport.InitPayload, error) {
					return wsgorilla.RejectInit(ctx), nil, errors.New("invalid token")
				},
			})
			c := h.Connect(t, p)
			c.Send(t, msg{Type: "connection_init", Payload: json.RawMessage(`{"Authorization":"Bearer x"}`)})
			if p.Name == gorillaconn.GraphQLWS {
				got := c.Expect(t, "connection_error")
				if want := `{"message":"invalid token"}`; string(got.Payload) != want {
					t.Errorf("connection_error payload = %s, want %s", got.Payload, want)
				}
			}
			ce := c.ReadClose(t)
			want := &websocket.CloseError{Code: gorillaconn.CloseForbidden, Text: "Forbidden"}
			if diff := cmp.Diff(want, ce); diff != "" {
				t.Errorf("close (-want +got):\n%s", diff)
			}
			h.WaitDone(t)
		})
	}
}
