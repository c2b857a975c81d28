#!/usr/bin/env bash
# Validates AsyncAPI documents with the AsyncAPI initiative's own parser
# (@asyncapi/parser, from npm): installs Node.js from Debian's packages when
# it is missing, and the parser into target/asyncapi/ once; exits 1, with
# the parser's diagnostics, when a document is not valid.
#
#   bash scripts/asyncapi.sh DOCUMENT.json…
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "asyncapi.sh: installing Node.js from Debian's packages" >&2
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
dir=target/asyncapi
if [ ! -d "$dir/node_modules/@asyncapi/parser" ]; then
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" @asyncapi/parser@3 >&2
fi
cat > "$dir/validate.mjs" <<'JS'
import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';
const parser = new Parser();
let failed = false;
for (const path of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(readFileSync(path, 'utf8'));
  const errors = diagnostics.filter((d) => d.severity === 0);
  for (const d of diagnostics) {
    console.error(`${path}: ${['error', 'warning', 'info', 'hint'][d.severity]}: ${d.message} at /${d.path.join('/')}`);
  }
  if (!document || errors.length > 0) failed = true;
  else console.error(`${path}: a valid AsyncAPI ${document.version()} document`);
}
process.exit(failed ? 1 : 0);
JS
exec node "$dir/validate.mjs" "$@"
