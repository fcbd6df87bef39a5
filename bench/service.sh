# Sourced by bench/load.sh and bench/soak.sh: one Release build of the service in Production on a free 127.0.0.1 port,
# SQLite in a temp directory, SMTP to bench/smtp_sink.py, wrk installed when missing; everything it starts is in pids
# and stopped (and the temp directory removed) on exit.
# wrk is a Debian package; install it when missing (idempotent). The SMTP sink is plain Python (bench/smtp_sink.py).
if ! command -v wrk >/dev/null 2>&1; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get -o DPkg::Lock::Timeout=300 update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends wrk
fi

# shellcheck source=bench/processes.sh
. bench/processes.sh

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -m | awk '/Mem:/ {print $2}') MB; load $(load)"
smtp_port=$(free_port)
app_port=$(free_port)
base="http://127.0.0.1:$app_port"
: >"$work/captured"
/usr/bin/python3 bench/smtp_sink.py "$smtp_port" "$work/captured" >"$work/sink.log" 2>&1 &
pids+=($!)

dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o "$work/app" --nologo -v q >/dev/null

# Production, as deployed: SQLite in the temp dir, a real signing key, SMTP to the sink. Only the per-client limits are
# raised (every request comes from one address here); the per-address email limit stays and the scripts respect it.
# The email queue holds 100,000 instead of 10,000: a send run outpaces delivery to the sink (rendering and SMTP on the
# same two cores), and the queue is what absorbs a spike; the delivery rate is printed separately.
signing_key=$(openssl rand -base64 32)
export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning \
  Storage__Sqlite__Path="$work/data/passwordless.db" Session__SigningKey="$signing_key" \
  Passwordless__PublicBaseUrl="$base" Email__From="Bench <bench@example.com>" \
  Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$smtp_port" Email__Smtp__Security=None \
  RateLimits__SendPerMinute=100000000 RateLimits__VerifyPerMinute=100000000 Email__QueueCapacity=100000

app_pid=""
startup_ms=""
start_app() {
  local started now
  started=$(date +%s%N)
  dotnet "$work/app/PasswordlessBff.dll" >>"$work/app.log" 2>&1 &
  app_pid=$!
  pids+=("$app_pid")
  for _ in $(seq 1 1000); do
    if curl -fs -o /dev/null "$base/healthz"; then
      now=$(date +%s%N)
      startup_ms=$(( (now - started) / 1000000 ))
      return 0
    fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 0.01
  done
  echo "the service did not become healthy:" >&2; tail -20 "$work/app.log" >&2; exit 1
}
stop_app() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; }
