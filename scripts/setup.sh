#!/usr/bin/env bash
# Sets up everything this project needs on a fresh Debian machine, idempotently:
#   1. Debian packages that WeasyPrint (Pango, HarfBuzz subsetting), the Korean PDF font,
#      the PDF text checks (poppler) and the browser tests (Chromium) need, when missing;
#   2. a virtualenv in .venv with the pinned Python dependencies (skipped when unchanged);
#   3. with --db: migrations (and --demo: the demo data).
# A second run when nothing changed takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-nanum poppler-utils chromium)
PYTHON=${PYTHON:-python3.11}

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  PYTHON=python3
fi
if [ ! -x .venv/bin/python ]; then
  echo "==> Creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.requirements-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> Installing Python dependencies"
  # This machine's pip config names local mirrors that may be absent: those warnings are noise.
  .venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt \
    2> >(grep -v "is ignored: it is neither" >&2)
  rm -f .venv/.requirements-*
  touch "$stamp"
fi

for arg in "$@"; do
  case "$arg" in
    --db)
      .venv/bin/python manage.py migrate --noinput
      ;;
    --demo)
      .venv/bin/python manage.py load_demo
      ;;
  esac
done
