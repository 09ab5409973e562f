#!/usr/bin/env bash
# For `make test` under CI=true: Debian's pgbouncer (tests/reliability/test_pgbouncer.py serves the site
# through it), installed when missing and we are root. The test fails, never skips, without it.
set -euo pipefail
if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "[test] pgbouncer is missing: install it (apt-get install pgbouncer) or run make test as root" >&2
  exit 1
fi
echo "[test] installing pgbouncer" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
