/**
 * The `.net` language server (`netc lsp`): diagnostics as you type (parse and check of each
 * open document, with the open documents laid over the file system so unsaved imports count),
 * hover with inferred shapes and what each instance of a stage became, go to definition, find
 * references, rename, inlay hints with the shape at the end of each pipeline line, completion,
 * quick fixes (the diagnostics' structured fixes), document symbols and formatting.
 *
 * The protocol side is vscode-languageserver; everything it answers comes from the Workspace
 * and the small modules next to this one, which know nothing of the protocol library.
 */
import {
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SourceHost } from '../check/host.ts';
import { formatSource } from '../fmt/format.ts';
import { completionsAt } from './completion.ts';
import { definitionAt } from './definition.ts';
import { diagnosticsFor } from './diagnostics.ts';
import { codeActionsFor } from './code-actions.ts';
import { hoverAt } from './hover.ts';
import { inlayHints } from './inlay-hints.ts';
import { labelDefinitionAt, referencesAt, renameAt, RenameError } from './references.ts';
import { offsetAt } from './positions.ts';
import { documentSymbols } from './symbols.ts';
import { Workspace, uriToPath } from './workspace.ts';

export interface ServerOptions {
  /** Where files that are not open come from (default: the file system and the library). */
  baseHost?: SourceHost;
  /** Quiet time after an edit before documents are checked again. */
  debounceMs?: number;
}

export function startLanguageServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(options.baseHost);
  const debounceMs = options.debounceMs ?? 150;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pathOf = (uri: string): string => uriToPath(uri);
  const sourceOf = (path: string): string | undefined => workspace.text(path);

  const validateAll = (): void => {
    timer = undefined;
    // An edit in one file can change the diagnostics of every open file that imports it.
    for (const doc of documents.all()) {
      try {
        const a = workspace.analyze(pathOf(doc.uri));
        if (!a) continue;
        void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnosticsFor(a.path, a.check.diagnostics) });
      } catch (e) {
        connection.console.error(`netc: checking ${doc.uri} failed: ${(e as Error).message}`);
      }
    }
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(validateAll, debounceMs);
  };

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        completionProvider: { triggerCharacters: ['>', '(', ',', ' '] },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        referencesProvider: true,
        renameProvider: true,
        inlayHintProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
      },
      serverInfo: { name: 'netc' },
    }),
  );

  documents.onDidChangeContent((e) => {
    workspace.setText(pathOf(e.document.uri), e.document.getText());
    schedule();
  });
  documents.onDidClose((e) => {
    workspace.close(pathOf(e.document.uri));
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    schedule();
  });

    // A failure answers null instead of taking the server down.
  const withDocument = <T>(uri: string, position: { line: number; character: number } | undefined, f: (a: NonNullable<ReturnType<Workspace['analyze']>>, offset: number, text: string) => T): T | null => {
    const doc = documents.get(uri);
    if (!doc) return null;
    try {
      const a = workspace.analyze(pathOf(uri));
      if (!a) return null;
      const text = doc.getText();
      return f(a, position ? offsetAt(text, position) : 0, text) ?? null;
    } catch (e) {
      connection.console.error(`netc: request on ${uri} failed: ${(e as Error).message}`);
      return null;
    }
  };

  // Other open documents may use this one's blocks (a library's callers): hover and references search them too.
  const otherAnalyses = (uri: string) =>
    documents
      .all()
      .filter((d) => d.uri !== uri)
      .flatMap((d) => workspace.analyze(pathOf(d.uri)) ?? []);
  connection.onHover((p) => withDocument(p.textDocument.uri, p.position, (a, offset) => hoverAt(a, offset, sourceOf, otherAnalyses(p.textDocument.uri))));
  connection.onDefinition((p) => withDocument(p.textDocument.uri, p.position, (a, offset) => definitionAt(a, offset) ?? labelDefinitionAt(a, offset)));
  connection.onReferences((p) =>
    withDocument(p.textDocument.uri, p.position, (a, offset) => referencesAt(a, offset, otherAnalyses(p.textDocument.uri), p.context.includeDeclaration)) ?? [],
  );
  connection.onRenameRequest((p) => {
    let refused: string | undefined;
    const edit = withDocument(p.textDocument.uri, p.position, (a, offset) => {
      try {
        return renameAt(a, offset, p.newName);
      } catch (e) {
        if (!(e instanceof RenameError)) throw e;
        refused = e.message;
        return undefined;
      }
    });
    // -32803 is the protocol's RequestFailed: the editor shows the reason.
    return refused !== undefined ? new ResponseError(-32803, refused) : edit;
  });
  connection.languages.inlayHint.on((p) => withDocument(p.textDocument.uri, undefined, (a) => inlayHints(a, p.range)) ?? []);
  connection.onCompletion((p) => withDocument(p.textDocument.uri, p.position, (a, offset, text) => completionsAt(a, text, offset, sourceOf) as CompletionItem[]) ?? []);
  connection.onCodeAction((p) => withDocument(p.textDocument.uri, undefined, (a) => codeActionsFor(a.path, a.check.diagnostics, p.range)) ?? []);
  connection.onDocumentSymbol((p) => withDocument(p.textDocument.uri, undefined, (a) => documentSymbols(a.ast, a.text) as DocumentSymbol[]) ?? []);
  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const text = doc.getText();
    const r = formatSource(text, pathOf(p.textDocument.uri));
    if (r.text === undefined || !r.changed) return [];
    const end = doc.positionAt(text.length);
    return [{ range: { start: { line: 0, character: 0 }, end }, newText: r.text }];
  });

  documents.listen(connection);
  connection.listen();
}
