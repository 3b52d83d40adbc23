/**
 * As-you-type answers, from the language server's own modules (src/lsp/): diagnostics and
 * inlay hints after each edit, hover and completion at a position. One Workspace holds the
 * edited text; its analysis is cached until the text changes, so hover and completion after
 * a check cost nothing more.
 */
import { memoryHost } from '../../../src/check/host.ts';
import { completionsAt, COMPLETION_KIND } from '../../../src/lsp/completion.ts';
import { hoverAt } from '../../../src/lsp/hover.ts';
import { inlayHints } from '../../../src/lsp/inlay-hints.ts';
import { Workspace, type Analysis } from '../../../src/lsp/workspace.ts';
import type { Responses } from '../protocol.ts';
import { diagItems } from './diagnostics.ts';

const workspace = new Workspace(memoryHost({}));
let current: { file: string; text: string } | undefined;

function analysisOf(file: string, text: string): Analysis | undefined {
  if (!current || current.file !== file || current.text !== text) {
    if (current && current.file !== file) workspace.close(current.file);
    workspace.setText(file, text);
    current = { file, text };
  }
  return workspace.analyze(file);
}

export const sourceOf = (f: string): string | undefined => workspace.text(f);

export function analyze(file: string, text: string): Responses['analyze'] {
  const t0 = performance.now();
  const a = analysisOf(file, text);
  if (!a) return { diagnostics: [], hints: [], ms: 0 };
  const diagnostics = diagItems(a.check.diagnostics, file, sourceOf);
  const hints = inlayHints(a).map((h) => ({ line: h.position.line, character: h.position.character, label: h.label }));
  return { diagnostics, hints, ms: performance.now() - t0 };
}

export function hover(file: string, text: string, offset: number): Responses['hover'] {
  const a = analysisOf(file, text);
  const h = a ? hoverAt(a, offset, sourceOf) : undefined;
  return h ? { markdown: h.contents.value } : {};
}

const KIND_NAMES = new Map<number, string>(Object.entries(COMPLETION_KIND).map(([k, v]) => [v, k.toLowerCase()]));

export function complete(file: string, text: string, offset: number): Responses['complete'] {
  const a = analysisOf(file, text);
  if (!a) return { items: [] };
  const items = completionsAt(a, text, offset, sourceOf)
    .sort((x, y) => (x.sortText ?? x.label).localeCompare(y.sortText ?? y.label))
    .map((c) => ({ label: c.insertText ?? c.label, detail: c.detail, kind: KIND_NAMES.get(c.kind) ?? 'text' }));
  return { items };
}
