#!/usr/bin/env bash
# A real browser for the console's tests: Debian's Chromium and its
# WebDriver (chromium, chromium-driver) installed when missing, and
# Selenium (from PyPI, pinned) to drive them; then runs a Python script
# with them.
#
#   bash scripts/browser.sh SCRIPT.py ARGS…
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  echo "browser.sh: installing Chromium and its driver from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
bin=$(bash scripts/python.sh selenium==4.51.0)
exec "$bin/python" "$@"
