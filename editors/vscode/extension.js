// VS Code extension for .net files: the TextMate grammar gives highlighting, and the netc
// language server (`netc lsp --stdio`) gives diagnostics, hover, definition, completion,
// symbols and formatting.
//
// The server, first match wins: the `netc.path` setting (a command, with `netc.args` before
// `lsp`); the netc the workspace depends on (node_modules/netc, so the editor reports what the
// project's own `netc check` reports); the server bundled into this extension.
'use strict';
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

let client;

/** The command-line entry of the netc package installed in a workspace folder, if any. */
function workspaceServer() {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    const entry = path.join(folder.uri.fsPath, 'node_modules', 'netc', 'bin', 'netc.js');
    if (fs.existsSync(entry)) return entry;
  }
  return undefined;
}

function serverOptions(context) {
  const config = vscode.workspace.getConfiguration('netc');
  const command = config.get('path', '');
  // The client adds --stdio itself for the stdio transport.
  if (command) return { command, args: [...config.get('args', []), 'lsp'], transport: TransportKind.stdio };
  const module = workspaceServer() ?? context.asAbsolutePath(path.join('dist', 'server', 'cli.mjs'));
  return { module, args: ['lsp'], transport: TransportKind.stdio };
}

function activate(context) {
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'net' },
      { scheme: 'untitled', language: 'net' },
    ],
  };
  client = new LanguageClient('netc', 'netc language server', serverOptions(context), clientOptions);
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
