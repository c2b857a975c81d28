#!/usr/bin/env bash
# Tokenizes specs with the TextMate grammar of editors/vscode, through
# vscode-textmate and vscode-oniguruma (the tokenizer VS Code runs), and
# checks what each line's tokens say: comments, strings, headers,
# keywords and names. Installs Node.js from Debian's packages when it is
# missing, and the two packages into target/textmate/ once.
#
#   bash scripts/textmate.sh SPEC.ddd…
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/node.sh
source scripts/node.sh
dir=target/textmate
node_packages "$dir" vscode-textmate@9 vscode-oniguruma@2
cat > "$dir/check.cjs" <<'JS'
const fs = require('fs');
const path = require('path');
const tm = require('vscode-textmate');
const onig = require('vscode-oniguruma');
const grammarPath = path.resolve(process.env.ESGEN_GRAMMAR || 'editors/vscode/syntaxes/ddd.tmLanguage.json');
const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
const onigLib = onig.loadWASM(wasm).then(() => ({
  createOnigScanner: (patterns) => new onig.OnigScanner(patterns),
  createOnigString: (text) => new onig.OnigString(text),
}));
const registry = new tm.Registry({
  onigLib,
  loadGrammar: async (scope) =>
    scope === 'source.ddd' ? tm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
});
const KEYWORDS = ['rejected', 'given', 'when', 'then', 'adds', 'sets', 'removes', 'increases', 'decreases'];
(async () => {
  const grammar = await registry.loadGrammar('source.ddd');
  let failed = false;
  for (const file of process.argv.slice(2)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let stack = tm.INITIAL;
    const count = { comments: 0, strings: 0, headers: 0, keywords: 0, names: 0 };
    lines.forEach((line, number) => {
      const { tokens, ruleStack } = grammar.tokenizeLine(line, stack);
      stack = ruleStack;
      const scopeAt = (i) => {
        const token = tokens.find((t) => t.startIndex <= i && i < t.endIndex);
        return token ? token.scopes.join(' ') : '';
      };
      const fail = (what) => {
        failed = true;
        console.error(`${file}:${number + 1}: ${what}: ${JSON.stringify(line)}`);
      };
      // Walk the line as the parser reads it: quoted text, then a comment.
      let quoted = false;
      let escaped = false;
      let code = '';
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quoted) {
          if (!scopeAt(i).includes('string.quoted')) fail(`not a string at column ${i + 1}`);
          if (escaped) escaped = false;
          else if (c === '\\') escaped = true;
          else if (c === '"') quoted = false;
          code += ' ';
          continue;
        }
        if (c === '"') {
          count.strings++;
          quoted = true;
          if (!scopeAt(i).includes('string.quoted')) fail(`a quote not opening a string at column ${i + 1}`);
          code += ' ';
          continue;
        }
        if (c === '#') {
          count.comments++;
          if (!scopeAt(i).includes('comment.line')) fail(`a comment not scoped as one at column ${i + 1}`);
          break;
        }
        code += c;
      }
      if (/^(Model|Entity|Streams):/.test(line)) {
        count.headers++;
        if (!scopeAt(0).includes('keyword.other.header')) fail('a header not scoped as one');
      }
      if (/^(Terms|Queries|Actions|Scenarios|Evolution):\s*(#.*)?$/.test(line)) {
        count.headers++;
        if (!scopeAt(0).includes('keyword.control.section')) fail('a section header not scoped as one');
      }
      for (const match of code.matchAll(/[A-Za-z][A-Za-z0-9_-]*\??/g)) {
        const word = match[0];
        const scope = scopeAt(match.index);
        const before = code[match.index - 1];
        if (before !== undefined && /[\w?-]/.test(before)) continue;
        if (KEYWORDS.includes(word)) {
          count.keywords++;
          if (!scope.includes('keyword.other')) fail(`the keyword \`${word}\` is ${scope}`);
        } else if (/[-?]/.test(word)) {
          count.names++;
          if (!/variable\.other|entity\.name/.test(scope)) fail(`the name \`${word}\` is ${scope}`);
        }
      }
    });
    console.error(
      `${file}: ${lines.length} lines tokenized; ${count.comments} comments, ${count.strings} strings, ${count.headers} headers, ${count.keywords} keywords, ${count.names} names as scoped`,
    );
  }
  process.exit(failed ? 1 : 0);
})();
JS
exec node "$dir/check.cjs" "$@"
