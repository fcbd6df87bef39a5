#!/usr/bin/env bash
# A bounded soak on SQLite: MINUTES (5) minutes of send, verify and session checks at once, each at a fixed moderate
# rate, on one Release build in Production with the SMTP sink (bench/service.sh). Records per minute each kind's
# requests, p99 and errors (non-2xx and socket errors), the RSS and the load average; fails when any request failed or
# RSS grew by 10 % or more from the first minute's start (after the 100,000 sessions are cached) to the end.
# Everything is bounded: wrk runs 60 s per minute, the logins and sessions are counted out beforehand.
# Usage: bench/soak.sh [minutes=5]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-5}
[ "$minutes" -ge 1 ] && [ "$minutes" -le 10 ] || { echo "between 1 and 10 minutes" >&2; exit 2; }
sessions_count=${SESSIONS_COUNT:-100000}
# Per-connection pauses give about 150 sends/s (under what the sink is delivered at, so the queue stays bounded),
# 50 verifies/s and 10,000 session checks/s (each of the 100,000 sessions every 10 s).
verify_per_minute=3600

# shellcheck source=bench/service.sh
. bench/service.sh
# Logins prepared before the first minute are verified up to MINUTES later: their codes must outlive that.
export Passwordless__ExpiresIn=900

start_app
echo "== preparing $sessions_count sessions and $(( verify_per_minute * minutes )) logins; load $(load)"
/usr/bin/python3 bench/prepare_sessions.py "$work/data/passwordless.db" "$signing_key" "$base" "$sessions_count" "$work/cookies"
/usr/bin/python3 bench/prepare_logins.py "$base" "$(( verify_per_minute * minutes ))" "$work/captured" "$work/logins" 300
split -n "l/$minutes" -d -a 2 "$work/logins" "$work/logins."
export SESSION_COOKIES="$work/cookies" WRK_THREADS=1
wrk -t1 -c16 -d5s -s bench/sessions.lua "$base" | grep -E '^sessions:' | sed 's/^/   warm-up: /'
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$app_pid/status"; }
rss_start=$(rss)
echo "== RSS at the start: $rss_start MB; load $(load)"
# The managed heap beside RSS, every 10 s (dotnet-counters, when installed: dotnet tool install -g dotnet-counters).
if command -v dotnet-counters >/dev/null 2>&1; then
  dotnet-counters collect -p "$app_pid" --counters 'System.Runtime[dotnet.gc.last_collection.heap.size,dotnet.process.memory.working_set]' \
    --refresh-interval 10 --format csv -o "$work/counters.csv" --duration "00:00:$(printf '%02d' "$minutes"):05" >/dev/null 2>&1 &
  counters_pid=$!
  pids+=("$counters_pid")
fi
# SOAK_GCDUMP_DIR set: a heap dump (dotnet-gcdump; it forces a full GC) after the first minute and at the end.
gcdump() { [ -z "${SOAK_GCDUMP_DIR:-}" ] || dotnet-gcdump collect -p "$app_pid" -o "$SOAK_GCDUMP_DIR/$1.gcdump" >/dev/null; }

# "requests p99 errors" from one wrk output; errors are non-2xx answers plus socket errors.
summary() {
  awk '/requests in/ {n=$1} $1 == "99%" {p=$2} /Non-2xx/ {e+=$NF} /Socket errors/ {gsub(/[^0-9 ]/, " "); e+=$1+$2+$3+$4}
       END {printf "%s %s %d", n, p, e}' "$1"
}
rows=()
errors=0
for minute in $(seq 1 "$minutes"); do
  index=$(printf '%02d' $(( minute - 1 )))
  REQUEST_DELAY_MS=25 wrk -t1 -c4 -d60s --latency -s bench/send.lua "$base" >"$work/send.$minute" 2>&1 &
  send_pid=$!
  REQUEST_DELAY_MS=38 VERIFY_LOGINS="$work/logins.$index" wrk -t1 -c2 -d60s --latency -s bench/verify.lua "$base" \
    >"$work/verify.$minute" 2>&1 &
  verify_pid=$!
  REQUEST_DELAY_MS=1 SESSION_PATH=/api/auth/session wrk -t1 -c12 -d60s --latency -s bench/sessions.lua "$base" \
    >"$work/sessions.$minute" 2>&1 &
  sessions_pid=$!
  pids+=("$send_pid" "$verify_pid" "$sessions_pid")
  wait "$send_pid" "$verify_pid" "$sessions_pid"
  row="$minute"
  for kind in send verify sessions; do
    read -r n p99 e <<<"$(summary "$work/$kind.$minute")"
    errors=$(( errors + e ))
    row="$row  $kind $n req p99 $p99 errors $e"
  done
  rows+=("$row  rss $(rss) MB  load $(load)")
  echo "== minute ${rows[-1]}"
  [ "$minute" -eq 1 ] && gcdump minute-1
done
rss_end=$(rss)
gcdump end
# Managed heap after the last GC (all generations), at the first and the last sample.
heap="managed heap: not measured (no dotnet-counters)"
if [ -n "${counters_pid:-}" ]; then
  wait "$counters_pid" 2>/dev/null || true
  # One sample is five rows (gen0, gen1, gen2, loh, poh).
  heap=$(awk -F, '/last_collection.heap.size/ {n++; if (n <= 5) first += $NF; if ($1 != at) {at = $1; last = 0} last += $NF}
    END {printf "managed heap after the last GC: %d MB at the first sample, %d MB at the last", first / 1048576, last / 1048576}' \
    "$work/counters.csv")
fi
growth=$(awk -v a="$rss_start" -v b="$rss_end" 'BEGIN {printf "%.1f", 100 * (b - a) / a}')

echo
echo "== soak summary: $minutes minutes, one line a minute (requests, p99, errors per kind; RSS and load after it)"
printf '%s\n' "${rows[@]}"
echo "errors: $errors; RSS $rss_start MB at the start, $rss_end MB at the end ($growth %); $heap; load now $(load)"
[ "$errors" -eq 0 ] && awk -v g="$growth" 'BEGIN {exit !(g < 10)}' || { echo "soak target missed" >&2; exit 1; }
