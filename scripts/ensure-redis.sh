#!/usr/bin/env bash
# Installs Debian's redis-server when it is missing; the tests start their own on a free 127.0.0.1 port.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
$sudo apt-get -o DPkg::Lock::Timeout=300 update
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends redis-server
