#!/usr/bin/env bash
# Runs Schemathesis (from PyPI, pinned) against a running service: every
# operation of the OpenAPI document it serves, with generated valid and
# invalid inputs, every check (no server error, answers that keep to the
# document, invalid requests refused, valid ones not). The live feed,
# which never ends, is left out: the service's own tests follow it.
# Exits 1 with Schemathesis's report when it finds anything.
#
#   bash scripts/schemathesis.sh BASE_URL [EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(bash scripts/python.sh schemathesis==4.32.5)
url=$1
examples=${2:-50}
exec "$bin/schemathesis" run "$url/api/openapi.json" \
  --checks all \
  --exclude-path-regex '/events/live$' \
  --max-examples "$examples" \
  --seed 20261206 \
  --workers 1 \
  --no-color
