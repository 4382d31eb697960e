#!/usr/bin/env bash
# Runs the issue #7 benchmark: the BFF, the Go floor and the Node peers against
# the standalone sandbox at 0 ms and 20 ms upstream latency, and prints one
# markdown table. Flags go to bench/cmd/benchrun (e.g. -duration 5s -systems bff,floor).
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
bin="$(mktemp -d)/benchrun"
go build -o "$bin" ./bench/cmd/benchrun
exec "$bin" "$@"
