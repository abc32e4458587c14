#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it:
# system packages that are missing (as root, or through sudo), a virtual environment
# in .venv with newsgen and the Python test dependencies, and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
install() {
  echo "installing $*" >&2
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if [ "${#missing[@]}" -gt 0 ]; then install "${missing[@]}"; fi

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
  # Debian's python3 makes environments with pip only once python3-venv is installed.
  python3 -m venv --clear .venv 2>/dev/null || { install python3-venv && python3 -m venv --clear .venv; }
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
if [ ! -d tests/node_modules/axe-core ] || [ ! -d tests/node_modules/vnu-jar ]; then
  npm install --silent --no-audit --no-fund --prefix tests axe-core@4 vnu-jar@26
fi
exec .venv/bin/python -m pytest -n 2 "$@"
