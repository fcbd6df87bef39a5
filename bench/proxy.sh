#!/usr/bin/env bash
# The proxy hop (issue 17): GET of one backend route called directly, through nginx (Debian's package, a plain
# proxy_pass, and once more with upstream keep-alive) and through this service with a session (which checks the
# session and forwards the cached ES256 identity token). The backend is nginx returning a small JSON body, so the
# backend costs next to nothing and the hop is what is measured. wrk at 1 connection (latency) and at CONNECTIONS
# (throughput), DURATION seconds each. Release build, Testing environment (the one-call test session), SQLite in a
# temp dir, everything on free 127.0.0.1 ports and stopped at the end. Installs wrk and nginx when missing.
# Usage: bench/proxy.sh [duration-seconds=10] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-16}
[ "$duration" -le 60 ] && [ "$connections" -le 256 ] || { echo "at most 60 s and 256 connections per run" >&2; exit 2; }

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=300 update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
  # Debian starts the packaged nginx on port 80; only our own instance below is wanted.
  $sudo systemctl stop nginx 2>/dev/null || $sudo service nginx stop 2>/dev/null || true
fi

# shellcheck source=bench/processes.sh
. bench/processes.sh

backend_port=$(free_port); nginx_port=$(free_port); nginx_ka_port=$(free_port); app_port=$(free_port); smtp_port=$(free_port)
mkdir -p "$work/nginx"
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy; fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  upstream backend { server 127.0.0.1:$backend_port; keepalive 64; }
  # The backend route.
  server { listen 127.0.0.1:$backend_port; location /bench/ { default_type application/json; return 200 '{"orders":[1,2,3]}'; } }
  # A plain proxy_pass, as the bar for a proxy hop.
  server { listen 127.0.0.1:$nginx_port; location / { proxy_pass http://127.0.0.1:$backend_port; } }
  # The same with upstream keep-alive, as this service keeps its backend connections.
  server { listen 127.0.0.1:$nginx_ka_port; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
/usr/sbin/nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o "$work/app" --nologo -v q >/dev/null
base="http://127.0.0.1:$app_port"
ASPNETCORE_ENVIRONMENT=Testing ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning Testing__Enabled=true \
  Storage__Sqlite__Path="$work/data/passwordless.db" Session__SigningKey="$(openssl rand -base64 32)" \
  Passwordless__PublicBaseUrl="$base" Email__From="Bench <bench@example.com>" \
  Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$smtp_port" Email__Smtp__Security=None \
  ReverseProxy__Routes__bench__ClusterId=bench ReverseProxy__Routes__bench__Match__Path='/bench/{**rest}' \
  ReverseProxy__Routes__bench__Metadata__Audience=orders-api \
  ReverseProxy__Clusters__bench__Destinations__one__Address="http://127.0.0.1:$backend_port" \
  dotnet "$work/app/PasswordlessBff.dll" >"$work/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fs "$base/healthz" >/dev/null 2>&1 && curl -fs "http://127.0.0.1:$nginx_port/bench/ping" >/dev/null 2>&1 && break; sleep 0.1; done
session=$(curl -fs -D - -o /dev/null -H 'X-CSRF: 1' -H 'Content-Type: application/json' -d '{"email":"bench@test.invalid"}' \
  "$base/api/testing/session" | grep -oE '__Host-pwl-session=[^;]+' | head -1)
[ -n "$session" ] || { echo "could not sign in" >&2; tail -20 "$work/app.log" >&2; exit 1; }
curl -fs -H "Cookie: $session" "$base/bench/ping" | grep -q orders || { echo "the proxied route does not answer" >&2; tail -20 "$work/app.log" >&2; exit 1; }

results=()
measure() {
  local name=$1 conns=$2; shift 2
  local before out
  before=$(load)
  # A short warm-up first (JIT, connection pools), not counted.
  wrk -t1 -c"$conns" -d2s "$@" >/dev/null
  out=$(wrk -t1 -c"$conns" -d"${duration}s" --latency "$@")
  echo "== $name, $conns connection(s), load before $before"; echo "$out" | sed 's/^/   /'
  results+=("$(printf '%-26s %5s %10s %9s %9s %8s   %s' "$name" "$conns" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}')" "$(echo "$out" | awk '$1 == "99%" {print $2}')" \
    "$(echo "$out" | awk '/Non-2xx/ {print $NF}')" "$before")")
}
for conns in 1 "$connections"; do
  measure "direct" "$conns" "http://127.0.0.1:$backend_port/bench/ping"
  measure "nginx proxy_pass" "$conns" "http://127.0.0.1:$nginx_port/bench/ping"
  measure "nginx + keepalive" "$conns" "http://127.0.0.1:$nginx_ka_port/bench/ping"
  measure "PasswordlessBff (session)" "$conns" -H "Cookie: $session" "$base/bench/ping"
done

echo
echo "== summary (load = 1/5/15-minute load average before each run; $(nproc) cores, wrk on the same cores)"
printf '%-26s %5s %10s %9s %9s %8s   %s\n' "path" "conns" "req/s" "p50" "p99" "non-2xx" "load"
printf '%s\n' "${results[@]}"
