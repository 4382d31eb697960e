#!/usr/bin/env bash
# One-time setup for systems whose glibc is older than the tailcall binary's
# (it needs GLIBC_2.39; Debian 12 bookworm has 2.36): downloads Debian 13
# trixie's libc6 and libgcc-s1 with apt-get (private lists, nothing installed
# system-wide) and unpacks them into .glibc/, which start.sh then uses.
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error >&2
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial"
echo "deb http://deb.debian.org/debian trixie main" >"$tmp/sources.list"
apt=(apt-get -q -o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache")
"${apt[@]}" update >&2
(cd "$tmp" && "${apt[@]}" download libc6 libgcc-s1 >&2)
rm -rf .glibc
mkdir -p .glibc
for deb in "$tmp"/*.deb; do
	dpkg-deb -x "$deb" .glibc
done
lib=.glibc/usr/lib/x86_64-linux-gnu
"$lib/ld-linux-x86-64.so.2" --library-path "$lib" node_modules/@tailcallhq/core-linux-x64-gnu/bin/tailcall --version
