#!/usr/bin/env bash
# The sign-in policy hook runs off the request path: send answer time with Policy__Hook__Url set vs not (issue 14,
# target p50 difference < 1 ms). Two Release instances side by side on free 127.0.0.1 ports (Production, SQLite in a
# temp dir, one SMTP sink), one with a local hook that checks each Standard Webhooks signature and takes 50 ms to
# answer; N sends per instance (default 1000), interleaved in random order. Everything stops at the end.
# Usage: bench/policy.sh [requests-per-instance=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o "$work/app" --nologo -v q >/dev/null
python3 bench/policy.py "$work/app/PasswordlessBff.dll" "${1:-1000}"
