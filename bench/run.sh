#!/usr/bin/env bash
# Every benchmark in one command, from a fresh clone: the load run (bench/load.sh) and the BenchmarkDotNet suite
# (bench/micro.sh, short job). Bounded: about 3 minutes of load plus 3 of micro-benchmarks on 2 cores.
# Usage: bench/run.sh [load-duration-seconds=10] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), uptime:$(uptime | sed 's/.*up/ up/')"
./bench/load.sh "${1:-10}" "${2:-16}" 1
./bench/micro.sh short
