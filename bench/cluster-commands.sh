#!/usr/bin/env bash
# The Redis commands one sign-in and one session check cost on a Redis Cluster, counted rather than inferred: a private
# three-master cluster on loopback, the service (Development, dev mailbox) pointed at all three nodes, MONITOR on every
# node, and one step at a time (send, the email's delivery, verify, session checks, logout). Bounded: one sign-in, ten
# checks, about a minute; everything it starts is stopped on exit.
# Usage: bench/cluster-commands.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-redis.sh
# shellcheck source=bench/processes.sh
. bench/processes.sh

# A cluster node also listens on its port + 10000 (the cluster bus), so node ports stay below 55536 with both free.
node_port() { /usr/bin/python3 -c '
import random, socket
while True:
    p = random.randint(20000, 30000)
    try:
        for q in (p, p + 10000):
            s = socket.socket(); s.bind(("127.0.0.1", q)); s.close()
        print(p); break
    except OSError: pass'; }
ports=("$(node_port)" "$(node_port)" "$(node_port)")
for port in "${ports[@]}"; do
  mkdir -p "$work/$port"
  redis-server --cluster-enabled yes --cluster-config-file "$work/$port/nodes.conf" --port "$port" --bind 127.0.0.1 \
    --save '' --appendonly no --dir "$work/$port" >/dev/null &
  pids+=($!)
done
for port in "${ports[@]}"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
done
redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >/dev/null
for port in "${ports[@]}"; do
  for _ in $(seq 1 100); do redis-cli -p "$port" cluster info | grep -q cluster_state:ok && break; sleep 0.1; done
done

dotnet build PasswordlessBff/PasswordlessBff.csproj -c Release -o "$work/app" --nologo -v q >/dev/null
app_port=$(free_port)
base="http://127.0.0.1:$app_port"
nodes=$(printf '127.0.0.1:%s,' "${ports[@]}")
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$base" Logging__LogLevel__Default=Warning \
Storage__Provider=Redis Storage__Redis__Configuration="${nodes%,}" Storage__Redis__KeyPrefix="pwl:" \
Session__SigningKey="$(openssl rand -base64 32)" Passwordless__PublicBaseUrl="http://localhost:$app_port" \
  dotnet "$work/app/PasswordlessBff.dll" >"$work/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 200); do curl -fs -o /dev/null "$base/readyz" && break; sleep 0.1; done
curl -fs -o /dev/null "$base/readyz" || { echo "the service did not become ready:" >&2; tail -20 "$work/app.log" >&2; exit 1; }

for port in "${ports[@]}"; do
  redis-cli -p "$port" monitor >"$work/monitor-$port" &
  pids+=($!)
done
sleep 0.5
# A step starts with an ECHO on every node, which MONITOR records in order with everything else.
mark() { for port in "${ports[@]}"; do redis-cli -p "$port" echo "step:$1" >/dev/null; done; }

mark send
curl -fs -c "$work/jar" -H 'X-CSRF: 1' -H 'Content-Type: application/json' -d '{"email":"bench@example.com"}' "$base/api/auth/send" >/dev/null
mark delivery
code=""
for _ in $(seq 1 50); do
  code=$(curl -fs "$base/dev/mailbox/messages" | /usr/bin/python3 -c 'import json, re, sys
m = json.load(sys.stdin); c = re.search(r"\b\d{6}\b", m[0]["text"]) if m else None; print(c.group(0) if c else "")' || true)
  [ -n "$code" ] && break; sleep 0.1
done
[ -n "$code" ] || { echo "no email arrived" >&2; exit 1; }
sleep 0.3
mark verify
binding=$(awk '$6 == "__Host-pwl-login" {print $7}' "$work/jar")
session=$(curl -fs -D - -o /dev/null -H 'X-CSRF: 1' -H 'Content-Type: application/json' -H "Cookie: __Host-pwl-login=$binding" \
  -d "{\"code\":\"$code\"}" "$base/api/auth/verify" | grep -oE '__Host-pwl-session=[^;]+' | head -1)
[ -n "$session" ] || { echo "could not sign in" >&2; exit 1; }
mark session-checks
for _ in $(seq 1 10); do curl -fs -o /dev/null -H "Cookie: $session" "$base/api/auth/session"; done
mark logout
curl -fs -o /dev/null -X POST -H 'X-CSRF: 1' -H "Cookie: $session" "$base/api/auth/logout"
mark end
sleep 0.5

# Per step: each client command (on the node that holds its key) and, indented, the commands its script or MULTI ran. The email workers' idle polls (ZRANGEBYSCORE of every shard, the queue's ZCARD) are counted
# apart: they run once a second whatever the traffic.
/usr/bin/python3 - "$work" "${ports[@]}" <<'PY'
import re, sys, collections
work, ports = sys.argv[1], sys.argv[2:]
line_re = re.compile(r'^\S+ \[\d+ (lua|[\d.:]+)\] (.*)$')
def words(rest): return re.findall(r'"((?:[^"\\]|\\.)*)"', rest)
def kind(key):
    key = re.sub(r'^pwl:', '', key)
    key = re.sub(r'\{[a-z0-9]{2}\}', '{shard}', key)
    return re.sub(r'[:}]([0-9a-f]{32,}|[A-Za-z0-9_-]{20,}[.0-9a-f]*)$', lambda m: m.group(0)[0] + '…', key)
steps = collections.OrderedDict()
for port in ports:
    step, in_multi = None, False
    for line in open(f'{work}/monitor-{port}'):
        m = line_re.match(line.strip())
        if not m: continue
        source, w = m.group(1), words(m.group(2))
        if not w: continue
        cmd = w[0].upper()
        if cmd == 'ECHO' and w[1].startswith('step:'):
            step = w[1][5:]; steps.setdefault(step, collections.Counter()); continue
        if step is None or step == 'end': continue
        if cmd in ('EVALSHA', 'EVAL'):
            label = f'{cmd} keys: ' + ', '.join(kind(k) for k in w[3:3 + int(w[2])])
        elif cmd in ('PING', 'INFO', 'CLUSTER', 'CLIENT', 'SUBSCRIBE', 'SCRIPT', 'SELECT'):
            continue
        else:
            label = f'{cmd} {kind(w[1])}' if len(w) > 1 else cmd
        background = (cmd in ('ZRANGEBYSCORE', 'ZCARD', 'ZRANGE') and 'email-jobs' in label and source != 'lua')
        inner = '  lua ' if source == 'lua' else '  in MULTI ' if in_multi and cmd != 'EXEC' else ''
        in_multi = (in_multi or cmd == 'MULTI') and cmd != 'EXEC'
        if cmd == 'EXEC': continue
        steps[step][inner + label + (' (idle poll)' if background else '')] += 1
for step, counts in steps.items():
    if step == 'end': continue
    trips = sum(n for label, n in counts.items() if not label.startswith('  ') and 'idle poll' not in label)
    print(f'== {step}: {trips} commands from the service (a script or a MULTI/EXEC is one; idle polls apart)')
    for label, n in counts.items():
        print(f'  {n:3d}  {label}')
PY
