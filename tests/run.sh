#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
python3 -m pip install -q -e ".[test]"
if [ ! -d tests/node_modules/axe-core ] || [ ! -d tests/node_modules/vnu-jar ]; then
  npm install --silent --no-audit --no-fund --prefix tests axe-core@4 vnu-jar@26
fi
exec python3 -m pytest -n 2 "$@"
