# Developer commands. `make help` lists them.
.PHONY: help run test gotest e2e check generate sandbox playground docker deploy-check bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "%-12s %s\n", $$1, $$2}'

playground: ## Rebuild the committed GraphiQL bundle (npm) after changing web/playground/src or its lockfile
	cd web/playground && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

run: ## Run the BFF against the embedded sandbox (playground at http://localhost:8080/playground)
	go run .

sandbox: ## Run the FinPro sandbox alone on :8090
	go run . sandbox

test: gotest e2e ## Every test: Go with -race, then the real-client and browser tests (installs Debian's chromium when missing)

gotest: ## The Go tests only (need nothing but Go)
	go test -race -shuffle=on -count=1 -timeout 20m ./...

e2e: ## Apollo Client, graphql-ws and headless-Chromium tests against a running BFF
	bash e2e/run.sh

generate: ## Regenerate gqlgen output
	go generate ./graph/...

check: ## CI: format, vet, staticcheck, regenerate-and-diff, tests
	bash .ci/run

docker: ## Build the container image (needs a Docker engine)
	docker build -t finpro-bff .

deploy-check: ## Check the Kubernetes manifests (kubectl optional)
	go test ./deploy/
	@if command -v kubectl >/dev/null; then kubectl kustomize deploy/ >/dev/null && echo "kustomize ok"; fi

bench: ## Benchmarks against the Go floor, Apollo Server and Tailcall (writes a table; see BENCHMARKS.md)
	bash bench/run.sh
