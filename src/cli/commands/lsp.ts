/** `netc lsp [--stdio]`: the language server, speaking LSP over standard input and output. */
import type { CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';

export const command: Command = {
  summary: 'run the language server (LSP over stdio) for editors',
  usage: `Usage: netc lsp [--stdio]

Starts the .net language server on standard input and output (the only transport; --stdio
is accepted for editors that pass it). It offers diagnostics as you type, hover with the
inferred shape of every value, go to definition, completion of operators, arguments, blocks
and values, document symbols and formatting.
`,
  async run(args: string[], _io: CliIO): Promise<number> {
    parseOptions(args, { stdio: { type: 'boolean' } }, false);
    // A CommonJS package: bundled into one file (the editor extension's server) it arrives as
    // the default export only, through tsx as named exports only, through Node as both.
    const imported = await import('vscode-languageserver/node');
    const { createConnection, ProposedFeatures } = imported.default ?? imported;
    const { startLanguageServer } = await import('../../lsp/server.ts');
    const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
    startLanguageServer(connection);
    // The protocol's `exit` notification ends the process; so does the editor closing stdin.
    await new Promise<void>((resolve) => {
      connection.onExit(() => resolve());
      process.stdin.on('end', () => resolve());
    });
    return 0;
  },
};
