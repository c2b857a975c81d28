#!/usr/bin/env bash
# Validates AsyncAPI documents with the AsyncAPI initiative's own parser
# (@asyncapi/parser, from npm): installs Node.js from Debian's packages when
# it is missing, and the parser into target/asyncapi/ once; exits 1, with
# the parser's diagnostics, when a document is not valid.
#
#   bash scripts/asyncapi.sh DOCUMENT.json…
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node.sh
source scripts/node.sh
dir=target/asyncapi
node_packages "$dir" @asyncapi/parser@3
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
