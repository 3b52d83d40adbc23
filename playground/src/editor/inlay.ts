/**
 * Inlay hints: the shape at the end of each pipeline line, from the language server's
 * inlay-hints module (run in the worker), shown as widgets after the line's text.
 */
import { StateEffect, StateField, type Text } from '@codemirror/state';
import { Decoration, EditorView, WidgetType, type DecorationSet } from '@codemirror/view';
import type { Hint } from '../protocol.ts';

class HintWidget extends WidgetType {
  constructor(readonly label: string) {
    super();
  }
  override eq(other: HintWidget): boolean {
    return other.label === this.label;
  }
  toDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'cm-inlay-hint';
    span.textContent = this.label;
    return span;
  }
}

export const setHints = StateEffect.define<Hint[]>();

function build(doc: Text, hints: readonly Hint[]): DecorationSet {
  const ranges = [];
  for (const h of hints) {
    if (h.line + 1 > doc.lines) continue;
    const line = doc.line(h.line + 1);
    const pos = Math.min(line.from + h.character, line.to);
    ranges.push(Decoration.widget({ widget: new HintWidget(h.label), side: 1 }).range(pos));
  }
  return Decoration.set(ranges, true);
}

export const inlayHints = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) if (e.is(setHints)) deco = build(tr.state.doc, e.value);
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});
