#!/usr/bin/env bash
# Runs every test. Installs what the tests need beyond the .NET SDK when it is missing (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium; servers the tests use (SMTP, redis-server, the service itself) start on
# free 127.0.0.1 ports; the JavaScript examples of docs/TESTING.md run on node.
./scripts/ensure-chromium.sh
./scripts/ensure-redis.sh
./scripts/ensure-node.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test PasswordlessBff.sln --nologo 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "Tests: ${passed} passed, ${failed} failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"
