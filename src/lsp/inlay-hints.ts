/**
 * Inlay hints: the output shape of the pipeline so far at the end of each line that ends a
 * pipeline stage (`|> conv1: conv(64, k=7, stride=2, pad=3)  [1, 64, 112, 112]`). A stage
 * inside a block instantiated with different shapes gets no hint: there is no one answer.
 */
import type * as A from '../syntax/ast.ts';
import { recordedValues } from './hover.ts';
import { walk } from './locate.ts';
import { spanToRange, type LspPosition, type LspRange } from './positions.ts';
import type { Analysis } from './workspace.ts';

export interface InlayHint {
  position: LspPosition;
  label: string;
  /** 1: a type (the protocol's InlayHintKind.Type). */
  kind: 1;
  paddingLeft: boolean;
}

/** Whether only spaces or a comment follow `offset` on its line. */
function endsLine(text: string, offset: number): boolean {
  const rest = text.slice(offset, (text.indexOf('\n', offset) + 1 || text.length + 1) - 1);
  return /^\s*(\/\/.*|\/\*.*)?$/.test(rest);
}

const inRange = (p: LspPosition, r: LspRange): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

export function inlayHints(a: Analysis, range?: LspRange): InlayHint[] {
  const hints: InlayHint[] = [];
  walk(a.ast as unknown as A.Node, (n) => {
    if (n.kind !== 'Stage' || !endsLine(a.text, n.span.end.offset)) return;
    const values = recordedValues(a, n.span);
    if (values.length !== 1) return;
    const position = spanToRange(n.span).end;
    if (range && !inRange(position, range)) return;
    hints.push({ position, label: values[0]!, kind: 1, paddingLeft: true });
  });
  return hints.sort((x, y) => x.position.line - y.position.line || x.position.character - y.position.character);
}
