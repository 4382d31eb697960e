#!/usr/bin/env bash
# Runs the issue #7 benchmark: the BFF (cache off, like for like, and warm), the
# Go floor and the Node peers against the standalone sandbox at 0 ms and 20 ms
# upstream latency, and prints one markdown table; before it, on stderr, the
# 10,000-subscription soak and the 5%-fault run (SUBSOAK=0, FAULTRUN=0 skip
# them). Flags go to bench/cmd/benchrun (e.g. -duration 5s -systems bff,floor).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
	echo "installing wrk from Debian" >&2
	if [ "$(id -u)" = 0 ]; then
		apt-get install -y -q wrk >&2 || { apt-get update -q >&2 && apt-get install -y -q wrk >&2; }
	else
		sudo apt-get install -y -q wrk >&2 || { sudo apt-get update -q >&2 && sudo apt-get install -y -q wrk >&2; }
	fi
fi
if ! command -v taskset >/dev/null; then
	echo "taskset missing (util-linux): processes will not be pinned" >&2
fi
# The Node peers: pinned dependencies (npm ci) and, where the system's glibc is
# older than the Tailcall binary needs, a private newer loader (glibc.sh).
for peer in bench/peers/apollo bench/peers/tailcall; do
	if [ -f "$peer/package-lock.json" ] && [ ! -d "$peer/node_modules" ]; then
		(cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >&2)
	fi
done
tc=bench/peers/tailcall
tcbin="$tc/node_modules/@tailcallhq/core-linux-x64-gnu/bin/tailcall"
if [ -x "$tcbin" ] && ! "$tcbin" --version >/dev/null 2>&1 &&
	[ ! -x "$tc/.glibc/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" ] && [ -f "$tc/glibc.sh" ]; then
	echo "the tailcall binary needs a newer glibc: running $tc/glibc.sh" >&2
	bash "$tc/glibc.sh" >&2 || echo "glibc.sh failed: tailcall will be reported as not running" >&2
fi
# Issue #16.4: 10,000 idle subscriptions per subprotocol (bench/cmd/subsoak),
# reported on stderr so that stdout stays the table; SUBSOAK=0 skips it.
if [ "${SUBSOAK:-1}" != 0 ]; then
	soak="$(mktemp -d)"
	go build -o "$soak/finpro-bff" . && go build -o "$soak/subsoak" ./bench/cmd/subsoak
	for proto in graphql-transport-ws graphql-ws; do
		"$soak/subsoak" -bff "$soak/finpro-bff" -n 10000 -gc 2 -protocol "$proto" >&2 ||
			echo "subsoak ($proto) failed (it needs ulimit -n above 10,000)" >&2
	done
fi
# Issue #16.2: Q-dashboard open loop at 100/s with 5% of FinPro calls failing
# (bench/cmd/faultrun), cold (FINPRO_CACHE=off) and with repeated views served
# by the cache, on stderr; FAULTRUN=0 skips it.
if [ "${FAULTRUN:-1}" != 0 ]; then
	fault="$(mktemp -d)"
	go build -o "$fault/finpro-bff" . && go build -o "$fault/faultrun" ./bench/cmd/faultrun
	for c in off on; do
		echo "faultrun, FINPRO_CACHE=$c:" >&2
		"$fault/faultrun" -bff "$fault/finpro-bff" -duration 30s -env "FINPRO_CACHE=$c" >&2 ||
			echo "faultrun (FINPRO_CACHE=$c) failed" >&2
	done
fi
bin="$(mktemp -d)/benchrun"
go build -o "$bin" ./bench/cmd/benchrun
exec "$bin" "$@"
