/**
 * Quick fixes: the structured fixes of the diagnostics at a range of one document, as code
 * actions whose workspace edit changes that document. A fix whose value is certain (the
 * ones `netc check --fix` applies) is the preferred action.
 */
import type { Diagnostic } from '../diag/diagnostic.ts';
import { toLspDiagnostic, type LspDiagnostic } from './diagnostics.ts';
import { spanToRange, type LspRange } from './positions.ts';
import { pathToUri } from './workspace.ts';

export interface LspCodeAction {
  title: string;
  kind: 'quickfix';
  diagnostics: LspDiagnostic[];
  isPreferred: boolean;
  edit: { changes: Record<string, { range: LspRange; newText: string }[]> };
}

const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/** Whether two ranges touch (an empty request range at the caret counts). */
function touches(a: LspRange, b: LspRange): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function codeActionsFor(path: string, all: readonly Diagnostic[], range: LspRange): LspCodeAction[] {
  const out: LspCodeAction[] = [];
  for (const d of all) {
    if (d.span.file !== path || !d.fixes?.length) continue;
    if (!touches(spanToRange(d.span), range)) continue;
    for (const fix of d.fixes) {
      if (fix.edits.some((e) => e.span.file !== path)) continue;
      out.push({
        title: fix.message,
        kind: 'quickfix',
        diagnostics: [toLspDiagnostic(d)],
        isPreferred: fix.machineApplicable,
        edit: { changes: { [pathToUri(path)]: fix.edits.map((e) => ({ range: spanToRange(e.span), newText: e.text })) } },
      });
    }
  }
  return out;
}
