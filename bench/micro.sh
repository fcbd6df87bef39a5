#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks with the memory diagnoser: session tokens, credential hashes, the binding cookie.
# Usage: bench/micro.sh [short|default] — short (3 warm-ups, 3 iterations) is enough for the targets; default is BDN's own.
set -euo pipefail
cd "$(dirname "$0")/.."
job=${1:-short}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before $(cut -d' ' -f1-3 /proc/loadavg)"
args=(--filter '*' --artifacts "$out" --exporters github)
[ "$job" = short ] && args+=(--job short)
dotnet run -c Release --project bench/PasswordlessBff.Benchmarks -- "${args[@]}" >"$out/run.log" 2>&1 || { tail -40 "$out/run.log"; exit 1; }
for report in "$out"/results/*-report-github.md; do
  sed -n '/^|/p' "$report"; echo
done
echo "== load after $(cut -d' ' -f1-3 /proc/loadavg)"
