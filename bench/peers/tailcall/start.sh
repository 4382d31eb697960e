#!/usr/bin/env bash
# Starts Tailcall 1.6.14 in the foreground on $PORT (default 8083) with
# schema.graphql and finpro.js, calling FinPro at $FINPRO_BASE_URL with the
# FINPRO_* credentials. Dedupe: DEDUPE=on|off or TAILCALL_DEDUPE=true|false
# (default off) sets every @http's dedupe.
#
# The npm binary needs glibc >= 2.39. On an older system (Debian 12 has 2.36)
# run ./glibc.sh once: start.sh then runs the binary through the newer loader
# in .glibc/. Installs nothing at run time beyond npm ci.
set -euo pipefail
cd "$(dirname "$0")"
dir="$PWD"
if [ ! -d node_modules ]; then
	npm ci --no-audit --no-fund --loglevel=error >&2
fi

dedupe=false
case "${DEDUPE:-${TAILCALL_DEDUPE:-off}}" in
on | true | 1) dedupe=true ;;
off | false | 0 | "") dedupe=false ;;
*) echo "start.sh: DEDUPE must be on or off" >&2; exit 2 ;;
esac

# The config reads these through {{.env.*}}.
export FINPRO_BASE_URL="${FINPRO_BASE_URL:-http://127.0.0.1:8090}"
export FINPRO_BASE_URL="${FINPRO_BASE_URL%/}"
export FINPRO_CLIENT_ID="${FINPRO_CLIENT_ID:-fp_test_sandbox}"
export FINPRO_CLIENT_SECRET="${FINPRO_CLIENT_SECRET:-sandbox-secret-not-for-production}"
export FINPRO_ORGANISATION_ID="${FINPRO_ORGANISATION_ID:-SANDBOX01}"
export FINPRO_APP_IDENTIFIER="${FINPRO_APP_IDENTIFIER:-bff.sandbox.local}"
export TAILCALL_TRACKER=false # no usage reporting to tailcall.run
# Tailcall logs every upstream request at info; the BFF runs at LOG_LEVEL=warn.
export TAILCALL_LOG_LEVEL="${TAILCALL_LOG_LEVEL:-warn}"

# The generated config lives in a fixed directory per port and setting (so
# tailcall can be exec'd: the harness sums CPU and RSS over the process tree).
work="${TMPDIR:-/tmp}/finpro-bff-tailcall-${PORT:-8083}-$dedupe"
mkdir -p "$work"
sed "s/dedupe: false/dedupe: $dedupe/" schema.graphql >"$work/schema.graphql"
cat >"$work/tailcall.yml" <<YML
server:
  port: ${PORT:-8083}
  hostname: "127.0.0.1"
links:
  - type: Config
    src: $work/schema.graphql
  - type: Script
    src: $dir/finpro.js
YML

bin="$dir/node_modules/@tailcallhq/core-linux-x64-gnu/bin/tailcall"
run=("$bin")
if ! "$bin" --version >/dev/null 2>"$work/version.err"; then
	lib="$dir/.glibc/usr/lib/x86_64-linux-gnu"
	if [ -x "$lib/ld-linux-x86-64.so.2" ]; then
		run=("$lib/ld-linux-x86-64.so.2" --library-path "$lib" "$bin")
	else
		cat "$work/version.err" >&2
		echo "start.sh: the tailcall binary does not run here; run $dir/glibc.sh once (see ../README.md)" >&2
		exit 1
	fi
fi
echo "tailcall: dedupe $dedupe, port ${PORT:-8083}, FinPro at $FINPRO_BASE_URL" >&2
exec "${run[@]}" start "$work/tailcall.yml"
