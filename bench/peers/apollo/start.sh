#!/usr/bin/env bash
# Starts the Apollo Server 5 peer in the foreground on $PORT (default 8082),
# calling FinPro at $FINPRO_BASE_URL with the FINPRO_* credentials.
# Installs the pinned dependencies (npm ci, package-lock.json) when node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
	npm ci --no-audit --no-fund --loglevel=error >&2
fi
export NODE_ENV="${NODE_ENV:-production}"
exec node server.mjs
