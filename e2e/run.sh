#!/usr/bin/env bash
# End-to-end tests against a real finpro-bff in sandbox mode, with the clients
# frontends use: Apollo Client and graphql-ws (apollo.test.mjs), Apollo's and
# urql's normalised caches, @defer, mutations and partial results
# (contract.test.mjs), subscriptions over HTTP with the graphql-sse client and
# Apollo's HttpLink (httpsub.test.mjs), the graphql-http audit suite (audit.test.mjs),
# relay-compiler and relay-runtime (relay.test.mjs), graphql-codegen and tsc
# on the served SDL (codegen.test.mjs), the GraphiQL playground
# in headless Chromium (browser.test.mjs) and a page on another origin
# (crossorigin.test.mjs), and the consent journey through the sandbox's
# Account Aggregator page in Chromium (journey.test.mjs). Run from anywhere:
# bash e2e/run.sh
#
# Needs Go, Node 20+ with npm, and Debian's chromium (installed here with
# apt-get when /usr/bin/chromium is missing and we are root). Never downloads
# a browser: playwright-core drives /usr/bin/chromium.
#
# Environment: BFF_BIN (use this binary instead of building one), CHROMIUM
# (browser path, default /usr/bin/chromium), E2E_ARTIFACTS (screenshots,
# default e2e/artifacts), E2E_SKIP_INSTALL=1 (skip npm ci of the e2e project),
# E2E_TESTS (the test files to run, space-separated; default all).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

step() { printf '\n== e2e: %s\n' "$*"; }

# 1. Chromium from Debian.
if [ ! -x "$CHROMIUM" ]; then
	if [ "$CHROMIUM" = /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		step "installing Debian's chromium"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		echo "e2e: $CHROMIUM is missing: install Debian's chromium (apt-get install chromium)" >&2
		exit 1
	fi
fi

# 2. The test project. The playground bundle is committed: the binary below is
# built with Go alone, as `go install` builds it (CI checks separately that
# the bundle matches its source).
if [ "${E2E_SKIP_INSTALL:-}" != 1 ]; then
	step "installing the e2e project"
	(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

tmp=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# 4. The binary, with the committed bundle embedded.
bin=${BFF_BIN:-}
if [ -z "$bin" ]; then
	step "building the BFF"
	go build -o "$tmp/bff" .
	bin=$tmp/bff
fi

# 5. Start it in sandbox mode on a free loopback port.
freeport() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
port=$(freeport)
url=http://127.0.0.1:$port
# The origin of the cross-origin front end (crossorigin.test.mjs serves it).
E2E_APP_PORT=$(freeport)
export E2E_APP_PORT
# The journey's app (journey.test.mjs serves it): the AA sends the customer
# back there, so it is a return address, and it calls the API from its origin.
# The playground stays the first (default) return address, as in sandbox mode
# without CONSENT_REDIRECT_URLS. Data fetches take E2E_FETCH_DELAY, so the data
# arrives after the consent turns ACTIVE, as it does at FinPro, and after the
# browser is back on the return page and has completed the return: 300 ms was
# not always enough for that on a busy 2-core machine.
E2E_JOURNEY_PORT=$(freeport)
E2E_FETCH_DELAY=1500ms
export E2E_JOURNEY_PORT E2E_FETCH_DELAY
step "starting the BFF on $url"
env -u FINPRO_BASE_URL -u NATS_URL -u NATS_STORE_DIR -u TRUSTED_DOCUMENTS_FILE \
	ADDR=127.0.0.1:$port ADMIN_ADDR=127.0.0.1:0 ALLOWED_ORIGINS="$url,http://127.0.0.1:$E2E_APP_PORT,http://127.0.0.1:$E2E_JOURNEY_PORT" \
	CONSENT_REDIRECT_URLS="$url/playground/,http://127.0.0.1:$E2E_JOURNEY_PORT/" SANDBOX_FETCH_DELAY=$E2E_FETCH_DELAY \
	LOG_FORMAT=text LOG_LEVEL=warn \
	"$bin" >"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!

ready=
for _ in $(seq 1 300); do
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "e2e: the BFF exited; its log:" >&2
		cat "$tmp/stderr" >&2
		exit 1
	fi
	if curl -fsS "$url/readyz" >/dev/null 2>&1 && [ "$(grep -c 'Authorization: Bearer ' "$tmp/stdout")" -ge 2 ]; then
		ready=1
		break
	fi
	sleep 0.1
done
if [ -z "$ready" ]; then
	echo "e2e: the BFF was not ready within 30s; its log:" >&2
	cat "$tmp/stderr" >&2
	exit 1
fi
# The dev tokens: any customer first, then the demo customer's.
tokens=$(sed -n 's/^ *Authorization: Bearer //p' "$tmp/stdout")
export BFF_URL=$url
BFF_TOKEN_ANY=$(sed -n 1p <<<"$tokens")
BFF_TOKEN_ME=$(sed -n 2p <<<"$tokens")
export BFF_TOKEN_ANY BFF_TOKEN_ME

# 6. The tests, one file at a time: they share the sandbox's state.
step "running the tests"
status=0
# journey.test.mjs last: it leaves new consents (revoked) behind.
tests=${E2E_TESTS:-apollo.test.mjs contract.test.mjs httpsub.test.mjs audit.test.mjs relay.test.mjs codegen.test.mjs browser.test.mjs crossorigin.test.mjs journey.test.mjs}
# shellcheck disable=SC2086 # a list of file names
(cd e2e && node --test --test-concurrency=1 --test-reporter=spec $tests) || status=$?
if [ "$status" != 0 ]; then
	echo "e2e: FAILED; the BFF's log:" >&2
	tail -n 50 "$tmp/stderr" >&2
fi
exit "$status"
