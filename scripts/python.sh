#!/usr/bin/env bash
# The Python tools the tests use, from PyPI, in one virtual environment
# under target/python/ (Debian's python3-venv installed first when the
# machine's Python lacks venv): each named package at its pinned version,
# installed once. Tests that run at once wait for each other here.
#
#   bash scripts/python.sh PACKAGE==VERSION…    prints the environment's bin/
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/python
mkdir -p target
exec 9>target/python.lock
flock 9
if [ ! -x "$dir/bin/pip" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  rm -rf "$dir"
  python3 -m venv "$dir"
fi
missing=()
for wanted in "$@"; do
  name=${wanted%%==*}
  version=${wanted#*==}
  have=$("$dir/bin/pip" show "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)
  if [ "$have" != "$version" ]; then
    missing+=("$wanted")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  "$dir/bin/pip" install --quiet --disable-pip-version-check "${missing[@]}" >&2
fi
echo "$PWD/$dir/bin"
