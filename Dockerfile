# syntax=docker/dockerfile:1
#
# finpro-bff: one static binary (API, playground, sandbox, token minting) on
# distroless, running as the nonroot user (65532).
#
#   docker build -t finpro-bff .
#   docker run --rm -p 127.0.0.1:8080:8080 finpro-bff  # sandbox mode, like `go run .`
#   docker run --rm -p 127.0.0.1:8090:8090 -e ADDR=:8090 finpro-bff sandbox  # the simulator alone
#
# The image has no shell and no HTTP client, so there is no HEALTHCHECK: the
# orchestrator probes GET /healthz (liveness) and GET /readyz (readiness), see
# deploy/deployment.yaml and docs/operations.md.

ARG NODE_VERSION=20
# At least go.mod's `go` line: the official golang images set GOTOOLCHAIN=local,
# so an older patch release refuses to build (deploy/deploy_test.go checks it).
ARG GO_VERSION=1.26.8

# Stage 1: the GraphiQL playground (web/playground -> web/playground/dist).
FROM node:${NODE_VERSION}-bookworm-slim AS web
WORKDIR /src/web/playground
# Dependencies first: this layer is reused until the lockfile changes.
COPY web/playground/package.json web/playground/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY web/playground/ ./
RUN npm run build

# Stage 2: the Go binary, static (no cgo), reproducible paths, no symbols.
FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-mod=readonly
# Modules first: this layer is reused until go.mod or go.sum changes.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# The playground is embedded into the binary: put the built assets where the
# Go package embeds them from (replacing any checked-in copy).
RUN rm -rf web/playground/dist
COPY --from=web /src/web/playground/dist ./web/playground/dist
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go build -trimpath -ldflags "-s -w" -o /out/finpro-bff .

# Stage 3: distroless static: CA certificates, tzdata, /etc/passwd with the
# nonroot user, a world-writable /tmp (the embedded NATS server's temporary
# store in sandbox mode); nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/finpro-bff /finpro-bff
USER 65532:65532
# Inside a container loopback is unreachable from the host, so the image
# listens on every interface; publish the port to the host's loopback
# (-p 127.0.0.1:8080:8080) when running the sandbox, whose admin API is
# unauthenticated.
ENV ADDR=:8080
EXPOSE 8080
ENTRYPOINT ["/finpro-bff"]
CMD ["serve"]
