#!/usr/bin/env bash
# Under CI: make sure Debian's Chromium can run headless, installing it if missing. Fails loudly otherwise.
set -euo pipefail
# A CJK font, so that screenshots of the Chinese pages are readable.
if ! [ -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "wqy"; then
  echo "[ci] installing Debian chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-wqy-microhei >/dev/null
fi
if ! /usr/bin/chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
     --disable-background-networking --dump-dom about:blank >/dev/null 2>&1; then
  echo "[ci] chromium is installed but cannot run headless" >&2
  exit 1
fi
