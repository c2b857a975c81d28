#!/usr/bin/env bash
# Validates OpenAPI documents with openapi-spec-validator (from PyPI, an
# implementation independent of esgen, installed by scripts/python.sh);
# exits 1, with the validator's message, when a document is not valid.
#
#   bash scripts/openapi.sh DOCUMENT.json…
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash scripts/python.sh openapi-spec-validator==0.7.1)
failed=0
for path in "$@"; do
  if "$bin/openapi-spec-validator" "$path" >&2; then
    echo "$path: a valid OpenAPI document" >&2
  else
    failed=1
  fi
done
exit "$failed"
