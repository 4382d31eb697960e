# Developer commands. `make help` lists them.
.PHONY: help run test check generate sandbox docker deploy-check

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "%-10s %s\n", $$1, $$2}'

run: ## Run the BFF against the embedded FinPro sandbox
	go run .

sandbox: ## Run the FinPro sandbox alone on :8090
	go run . sandbox

test: ## Run every test (what CI runs, with -race)
	go test -race ./...

generate: ## Regenerate gqlgen output
	go generate ./graph/...

check: ## CI: format, vet, staticcheck, regenerate-and-diff, tests
	bash .ci/run

docker: ## Build the container image (needs a Docker engine)
	docker build -t finpro-bff .

deploy-check: ## Check the Kubernetes manifests (kubectl optional)
	go test ./deploy/
	@if command -v kubectl >/dev/null; then kubectl kustomize deploy/ >/dev/null && echo "kustomize ok"; fi
