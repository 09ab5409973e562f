#!/usr/bin/env bash
# The annual report's PDF (WeasyPrint) needs Pango and a CJK font. Under CI=true, or as root where
# apt-get exists, installs Debian's fonts-noto-cjk (and libpango) when missing; then fails loudly when
# WeasyPrint cannot load its libraries or no CJK font is installed, rather than printing empty boxes or
# failing at the first PDF. `make test` stops there; `make run` only warns (the PDF page then answers 503
# with what to install, every other page works). With a second argument "tests" (`make test`), also
# Debian's poppler-utils: the print journeys render each PDF to PNG with pdftoppm to be looked at.
set -euo pipefail
PY="${1:-.venv/bin/python}"
FOR_TESTS="${2:-}"
# grep -q stops reading early; with pipefail the writer's SIGPIPE would count as "missing", so the
# lists are read whole first.
missing_font() { ! grep -qi "Noto Serif CJK SC" <<<"$(fc-list 2>/dev/null)"; }
missing_pango() { ! grep -q "libpango-1.0.so.0" <<<"$(ldconfig -p 2>/dev/null)"; }
missing_pdftoppm() { [ "$FOR_TESTS" = "tests" ] && ! command -v pdftoppm >/dev/null; }
can_install() { [ "${CI:-}" = "true" ] || { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; }; }
if can_install && { missing_font || missing_pango || missing_pdftoppm; }; then
  echo "[ci] installing fonts-noto-cjk, libpango and poppler-utils for the PDF reports" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 fontconfig \
    poppler-utils >/dev/null
fi
if missing_pdftoppm; then
  echo "The print tests render PDFs to PNG with pdftoppm: install Debian's poppler-utils." >&2
  exit 1
fi
if missing_font; then
  echo "PDF reports need a CJK font: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk)." >&2
  exit 1
fi
if ! "$PY" -c "import weasyprint" 2>/tmp/weasyprint-import.$$; then
  echo "WeasyPrint cannot load its libraries (Pango, HarfBuzz): install libpango-1.0-0 and libpangoft2-1.0-0." >&2
  sed 's/^/  /' /tmp/weasyprint-import.$$ >&2
  rm -f /tmp/weasyprint-import.$$
  exit 1
fi
rm -f /tmp/weasyprint-import.$$
