#!/usr/bin/env bash
# Installs Debian's node and npm when missing, then the JavaScript examples' one dependency (playwright-core, which
# downloads no browser: the examples drive Debian's Chromium). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get -o DPkg::Lock::Timeout=300 update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends nodejs npm
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "The JavaScript examples (playwright-core) need Node.js 20 or newer; found $(node --version)." >&2
  exit 1
fi
examples=docs/examples/playwright
if [ ! -f "$examples/node_modules/playwright-core/package.json" ]; then
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$examples" --no-audit --no-fund
fi
