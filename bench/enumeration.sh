#!/usr/bin/env bash
# Account enumeration check (SECURITY.md item 11): send latency for addresses that have signed in before vs unknown
# ones, N requests per group (default 1000), interleaved. Release build on a free 127.0.0.1 port, an SMTP sink of its
# own, SQLite in a temp dir; everything stops at the end. Usage: bench/enumeration.sh [requests-per-group=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet publish PasswordlessBff/PasswordlessBff.csproj -c Release -o "$work/app" --nologo -v q >/dev/null
python3 bench/enumeration.py "$work/app/PasswordlessBff.dll" "${1:-1000}"
