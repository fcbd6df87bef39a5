#!/usr/bin/env bash
# Measures sends and session checks per second of one instance on the Redis store, bounded in time:
# a private redis-server and the service on loopback, wrk for DURATION seconds per endpoint, then everything stops.
# Usage: bench/redis-throughput.sh [duration-seconds=10] [connections=32]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-32}
redis_port=${REDIS_PORT:-6391}
app_port=${APP_PORT:-5099}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
./scripts/ensure-redis.sh

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >/dev/null &
pids+=($!)
dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o "$work/app" --nologo -v q >/dev/null

# Development without SMTP: mail goes to the in-memory dev mailbox, so sends cost only the service and Redis.
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="http://127.0.0.1:$app_port" \
Logging__LogLevel__Default=Warning \
Storage__Provider=Redis Storage__Redis__Configuration="127.0.0.1:$redis_port" Storage__Redis__KeyPrefix="bench:" \
Session__SigningKey="$(openssl rand -base64 32)" Passwordless__PublicBaseUrl="http://localhost:$app_port" \
RateLimits__SendPerMinute=100000000 RateLimits__VerifyPerMinute=100000000 \
  dotnet "$work/app/PasswordlessBff.dll" >"$work/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$app_port/readyz" >/dev/null && break; sleep 0.2; done

# One real sign-in through the dev mailbox, for the session cookie the checks send.
base="http://127.0.0.1:$app_port"
curl -fs -c "$work/jar" -H 'X-CSRF: 1' -H 'Content-Type: application/json' -d '{"email":"bench@example.com"}' "$base/api/auth/send" >/dev/null
code=""
for _ in $(seq 1 50); do
  code=$(curl -fs "$base/dev/mailbox" | grep -oE '\b[0-9]{6}\b' | head -1 || true)
  [ -n "$code" ] && break; sleep 0.1
done
binding=$(awk '$6 == "__Host-pwl-login" {print $7}' "$work/jar")
session=$(curl -fs -D - -o /dev/null -H 'X-CSRF: 1' -H 'Content-Type: application/json' -H "Cookie: __Host-pwl-login=$binding" \
  -d "{\"code\":\"$code\"}" "$base/api/auth/verify" | grep -oE '__Host-pwl-session=[^;]+' | head -1)
[ -n "$session" ] || { echo "could not sign in" >&2; exit 1; }

echo "== session checks: GET /api/me (slides the idle timeout), ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" -H "Cookie: $session" "$base/api/me"
echo "== session checks: GET /api/auth/session, ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" -H "Cookie: $session" "$base/api/auth/session"
echo "== sends: POST /api/auth/send, a new address each, ${duration}s, ${connections} connections"
wrk -t2 -c"$connections" -d"${duration}s" -s bench/send.lua "$base"
echo "== Redis commands the runs cost"
redis-cli -p "$redis_port" info commandstats | grep -E 'cmdstat_(hgetall|evalsha|eval|get|multi|exec|hset|expire|pexpire|set|ping|publish):' || true
