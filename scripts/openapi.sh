#!/usr/bin/env bash
# Validates OpenAPI documents with openapi-spec-validator (from PyPI),
# an implementation independent of esgen: installs it into a virtual
# environment under target/python/ once (Debian's python3-venv when the
# machine's Python lacks venv); exits 1, with the validator's message,
# when a document is not valid.
#
#   bash scripts/openapi.sh DOCUMENT.json…
set -euo pipefail
cd "$(dirname "$0")/.."
dir=target/python
if [ ! -x "$dir/bin/openapi-spec-validator" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3 python3-venv >/dev/null
  fi
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==0.7.1"
fi
failed=0
for path in "$@"; do
  if "$dir/bin/openapi-spec-validator" "$path" >&2; then
    echo "$path: a valid OpenAPI document" >&2
  else
    failed=1
  fi
done
exit "$failed"
