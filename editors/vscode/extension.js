// VS Code extension for .net files: the TextMate grammar gives highlighting, and the netc
// language server (`netc lsp --stdio`) gives diagnostics, hover, definition, completion,
// symbols and formatting.
'use strict';
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration('netc');
  const command = config.get('path', 'netc');
  // The client adds --stdio itself for the stdio transport.
  const args = [...config.get('args', []), 'lsp'];
  const serverOptions = { command, args, transport: TransportKind.stdio };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'net' },
      { scheme: 'untitled', language: 'net' },
    ],
  };
  client = new LanguageClient('netc', 'netc language server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
