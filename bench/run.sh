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
bin="$(mktemp -d)/benchrun"
go build -o "$bin" ./bench/cmd/benchrun
exec "$bin" "$@"
