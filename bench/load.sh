#!/usr/bin/env bash
# Load figures for one instance on SQLite, bounded in time and count: a Release build in Production on a free 127.0.0.1
# port with an SMTP sink, start-up time and idle memory, then wrk for DURATION seconds per endpoint. Everything it
# starts is stopped on exit.
# Usage: bench/load.sh [duration-seconds=10] [connections=16] [wrk-threads=1]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-16}
threads=${3:-1}
verify_logins=${VERIFY_LOGINS_COUNT:-20000}
[ "$duration" -le 60 ] && [ "$connections" -le 256 ] || { echo "at most 60 s and 256 connections per run" >&2; exit 2; }

# shellcheck source=bench/service.sh
. bench/service.sh

# Start-up: process start to the first 200 from /healthz; the first start also creates the database and keys.
startups=()
for run in 1 2 3; do
  start_app
  startups+=("$startup_ms")
  [ "$run" -lt 3 ] && stop_app
done
echo "== start-up to first healthy /healthz: first (new database) ${startups[0]} ms, restarts ${startups[1]} ms, ${startups[2]} ms; load $(load)"
sleep 3
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$app_pid/status")
echo "== idle RSS 3 s after start-up: $(( rss_kb / 1024 )) MB"

# One real sign-in through the sink, for the session cookie the checks send.
address="capture-session-$RANDOM@example.com"
auth_id=$(curl -fs -H 'X-CSRF: 1' -H 'Content-Type: application/json' -d "{\"email\":\"$address\"}" "$base/api/auth/send" \
  | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["authRequestId"])')
code=""
for _ in $(seq 1 100); do
  code=$(awk -v a="$address" '$1 == a {print $2}' "$work/captured" | head -1)
  [ -n "$code" ] && break; sleep 0.1
done
session=$(curl -fs -D - -o /dev/null -H 'X-CSRF: 1' -H 'Content-Type: application/json' \
  -d "{\"code\":\"$code\",\"authRequestId\":\"$auth_id\"}" "$base/api/auth/verify" | grep -oE '__Host-pwl-session=[^;]+' | head -1)
[ -n "$session" ] || { echo "could not sign in" >&2; tail -20 "$work/app.log" >&2; exit 1; }

results=()
# The service's own CPU time (user + system, in clock ticks): per request it is what an endpoint costs whatever wrk,
# sharing the two cores, takes for itself.
service_cpu_ticks() { awk '{print $14 + $15}' "/proc/$app_pid/stat"; }
# Runs wrk once and keeps "name  requests/s  p50  p99  non-2xx  CPU µs per request  load" for the table.
measure() {
  local name=$1; shift
  local before rps p50 p99 errors cpu_before cpu_us
  before=$(load)
  echo "== $name: ${duration}s, $connections connections, $threads wrk thread(s); load before $before"
  # WARMUP_SECONDS (2) unrecorded first, so the figures are of jitted, tiered-up code and not of the first requests'
  # JIT (verify warms up on logins of its own: bench/verify.lua uses each login once); 0 skips it.
  if [ "${WARMUP_SECONDS:-2}" -gt 0 ]; then
    WRK_THREADS=$threads VERIFY_LOGINS="${VERIFY_WARMUP_LOGINS:-}" wrk -t"$threads" -c"$connections" -d"${WARMUP_SECONDS:-2}s" "$@" >/dev/null
  fi
  # TRACE_DIR set: a CPU-sampling trace of the service (kernel samples with .NET stacks, dotnet-trace collect-linux)
  # for this endpoint's run and its top methods by inclusive time; the figures of a traced run include its overhead.
  if [ -n "${TRACE_DIR:-}" ]; then
    trace="$TRACE_DIR/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_')"
    dotnet-trace collect-linux -p "$app_pid" --profile "${TRACE_PROFILE:-cpu-sampling}" \
      --duration "00:00:00:$(printf '%02d' "$duration")" -o "$trace.nettrace" >"$trace.log" 2>&1 &
    trace_pid=$!
    pids+=("$trace_pid")
    sleep 1
  fi
  # GC_TRACE_DIR set: the garbage collections of this endpoint's run (dotnet-trace collect --profile gc-collect, very low
  # overhead), summarised by bench/TraceSummary --gc.
  if [ -n "${GC_TRACE_DIR:-}" ]; then
    gc_trace="$GC_TRACE_DIR/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').gc"
    dotnet-trace collect -p "$app_pid" --profile gc-collect \
      --duration "00:00:00:$(printf '%02d' "$duration")" -o "$gc_trace.nettrace" >"$gc_trace.log" 2>&1 &
    gc_trace_pid=$!
    pids+=("$gc_trace_pid")
    sleep 1
  fi
  cpu_before=$(service_cpu_ticks)
  out=$(WRK_THREADS=$threads wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@")
  cpu_us=$(awk -v t="$(( $(service_cpu_ticks) - cpu_before ))" -v hz="$(getconf CLK_TCK)" -v n="$(echo "$out" | awk '/requests in/ {print $1}')" \
    'BEGIN {printf "%.1f", t * 1e6 / hz / n}')
  if [ -n "${TRACE_DIR:-}" ]; then
    wait "$trace_pid" 2>/dev/null || true
    dotnet-trace report "$trace.nettrace" topN -n 150 --inclusive >"$trace.top.txt" 2>&1 || true
  fi
  if [ -n "${GC_TRACE_DIR:-}" ]; then
    wait "$gc_trace_pid" 2>/dev/null || true
    dotnet run -c Release --project bench/TraceSummary -- --gc "$gc_trace.nettrace" 2>&1 | sed 's/^/   gc: /' || true
  fi
  echo "$out" | sed 's/^/   /'
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  measured_cpu_us=$cpu_us
  results+=("$(printf '%-40s %10s %9s %9s %8s %8s   %s' "$name" "$rps" "$p50" "$p99" "${errors:-0}" "$cpu_us" "$before")")
}

measure "GET /healthz" "$base/healthz"
healthz_rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
healthz_cpu_us=$measured_cpu_us
measure "GET /api/auth/session" -H "Cookie: $session" "$base/api/auth/session"
measure "GET /api/me" -H "Cookie: $session" "$base/api/me"

# The session check as signed-in SPAs make it: SESSIONS_COUNT (100,000) sessions prepared in the file, a different one
# per request, each checked about once every two seconds at the rate reached (bench/sessions.lua prints the period).
# One unrecorded pass first: the first check of each session in a process reads the file, a steady state does not.
sessions_count=${SESSIONS_COUNT:-100000}
[ "$sessions_count" -le 1000000 ] || { echo "at most 1,000,000 sessions" >&2; exit 2; }
echo "== preparing $sessions_count signed-in sessions in the store; load $(load)"
/usr/bin/python3 bench/prepare_sessions.py "$work/data/passwordless.db" "$signing_key" "$base" "$sessions_count" "$work/cookies"
export SESSION_COOKIES="$work/cookies"
WRK_THREADS=1 wrk -t1 -c"$connections" -d5s -s bench/sessions.lua "$base" | grep -E '^sessions:' | sed 's/^/   warm-up: /'
# The same script on /healthz (the cookie ignored): the bare endpoint with the client's own cost, as a control.
SESSION_PATH=/healthz measure "GET /healthz, sessions.lua" -s bench/sessions.lua "$base"
measure "GET /api/auth/session, ${sessions_count} sessions" -s bench/sessions.lua "$base"
sessions_rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
sessions_cpu_us=$measured_cpu_us
export SESSION_PATH=/api/me
measure "GET /api/me, ${sessions_count} sessions" -s bench/sessions.lua "$base"
me_sessions_rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
me_sessions_cpu_us=$measured_cpu_us
sessions_rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$app_pid/status")

# verify: the right code for a login started beforehand, each login once (see bench/verify.lua).
echo "== preparing $verify_logins pending logins for verify; load $(load)"
/usr/bin/python3 bench/prepare_logins.py "$base" "$(( verify_logins + 5000 ))" "$work/captured" "$work/all-logins" 150
head -5000 "$work/all-logins" >"$work/warm-logins"
tail -n +5001 "$work/all-logins" >"$work/logins"
export VERIFY_LOGINS="$work/logins" VERIFY_WARMUP_LOGINS="$work/warm-logins"
measure "POST /api/auth/verify" -s bench/verify.lua "$base"
if [ "$(echo "$out" | awk '/^verified:/ {print $2}' | tr -d ,)" -ge "$(wc -l <"$work/logins")" ]; then
  echo "   (every prepared login was used before the time was up: the verify figure is a floor; raise VERIFY_LOGINS_COUNT)"
fi
sent_before=$(cat "$work/captured.count")
measure "POST /api/auth/send" -s bench/send.lua "$base"
sent_after=$(cat "$work/captured.count")
delivery="emails delivered to the sink during the send run: $(( (sent_after - sent_before) / duration ))/s"
echo "== $delivery"

echo
echo "== summary (one run, side by side; CPU µs = the service's CPU time per request; load = 1/5/15-minute load average before each endpoint)"
printf '%-40s %10s %9s %9s %8s %8s   %s\n' "endpoint" "req/s" "p50" "p99" "non-2xx" "CPU µs" "load"
printf '%s\n' "${results[@]}"
echo "$delivery"
echo "$sessions_count sessions, each its own cookie: /api/auth/session $(awk -v a="$sessions_rps" -v b="$healthz_rps" 'BEGIN {printf "%.0f", 100*a/b}') %," \
  "/api/me $(awk -v a="$me_sessions_rps" -v b="$healthz_rps" 'BEGIN {printf "%.0f", 100*a/b}') % of /healthz's requests/s;" \
  "by the service's CPU per request /healthz can do $(awk -v a="$healthz_cpu_us" -v b="$sessions_cpu_us" 'BEGIN {printf "%.0f", 100*a/b}') %" \
  "and $(awk -v a="$healthz_cpu_us" -v b="$me_sessions_cpu_us" 'BEGIN {printf "%.0f", 100*a/b}') % of theirs; RSS with them cached $(( sessions_rss_kb / 1024 )) MB"
echo "start-up ms: ${startups[*]} (first creates the database); idle RSS: $(( rss_kb / 1024 )) MB; load now $(load)"
