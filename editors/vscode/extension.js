// Starts `esgen lsp` for .ddd files: everything else comes from the server.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('esgen').get('path') || 'esgen';
  client = new LanguageClient(
    'esgen',
    'esgen',
    { command, args: ['lsp'] },
    { documentSelector: [{ scheme: 'file', language: 'ddd' }] },
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
