#!/usr/bin/env bash
# For `make bench`: the HTTP load generator wrk (Debian package), installed when missing and we are root.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "[bench] wrk is missing: install it (apt-get install wrk) or run make bench as root" >&2
  exit 1
fi
echo "[bench] installing wrk" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends wrk >/dev/null
