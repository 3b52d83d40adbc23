/**
 * The CodeMirror 6 editor: the lexer's highlighting, diagnostics underlined (set by the page
 * after each check), hover and completion answered by the worker's language-server modules,
 * inlay hints, format on demand (Shift-Alt-F).
 */
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentUnit } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, hoverTooltip, keymap, lineNumbers } from '@codemirror/view';
import type { CompilerClient } from '../client.ts';
import type { DiagItem, Hint } from '../protocol.ts';
import { lexerHighlight } from './highlight.ts';
import { inlayHints, setHints } from './inlay.ts';

export interface EditorHost {
  client: CompilerClient;
  file(): string;
  bindings(): Record<string, number>;
  onChange(text: string): void;
  format(): void;
}

/** Markdown from the language server, shown as text: code spans and fences lose their marks. */
function hoverDom(markdown: string): HTMLElement {
  const div = document.createElement('div');
  div.className = 'hover';
  div.dataset['testid'] = 'hover';
  const pre = document.createElement('pre');
  pre.textContent = markdown.replace(/```\w*\n?/g, '').replace(/`/g, '').replace(/\*\*/g, '').trim();
  div.append(pre);
  return div;
}

export function createEditor(parent: HTMLElement, text: string, host: EditorHost): EditorView {
  const hover = hoverTooltip(async (view, pos) => {
    const r = await host.client.ask({ kind: 'hover', file: host.file(), text: view.state.doc.toString(), bindings: host.bindings(), offset: pos });
    if (!r.markdown) return null;
    const md = r.markdown;
    return { pos, above: true, create: () => ({ dom: hoverDom(md) }) };
  }, { hoverTime: 250 });

  const complete = async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const word = ctx.matchBefore(/[A-Za-z_][A-Za-z0-9_]*/);
    if (!word && !ctx.explicit) return null;
    const r = await host.client.ask({ kind: 'complete', file: host.file(), text: ctx.state.doc.toString(), bindings: host.bindings(), offset: ctx.pos });
    return { from: word ? word.from : ctx.pos, options: r.items.map((i) => ({ label: i.label, detail: i.detail, type: i.kind })) };
  };

  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        bracketMatching(),
        indentUnit.of('  '),
        lexerHighlight,
        inlayHints,
        lintGutter(),
        hover,
        autocompletion({ override: [complete] }),
        keymap.of([{ key: 'Shift-Alt-f', run: () => (host.format(), true) }, indentWithTab, ...defaultKeymap, ...historyKeymap]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) host.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Show a check's result: underlines and inlay hints. */
export function showAnalysis(view: EditorView, diags: readonly DiagItem[], hints: readonly Hint[]): void {
  const len = view.state.doc.length;
  const cm: CmDiagnostic[] = diags
    .filter((d) => d.from !== undefined)
    .map((d) => {
      const from = Math.min(d.from!, len);
      const to = Math.min(Math.max(d.to!, from), len);
      return { from, to, severity: d.severity === 'note' ? 'info' : d.severity, message: `${d.code}: ${d.message}` };
    });
  view.dispatch(setDiagnostics(view.state, cm));
  view.dispatch({ effects: setHints.of([...hints]) });
}

/** Put the cursor on a 1-based line and scroll it into view (graph and summary clicks). */
export function jumpToLine(view: EditorView, line: number): void {
  if (line < 1 || line > view.state.doc.lines) return;
  const l = view.state.doc.line(line);
  view.dispatch({ selection: { anchor: l.from }, effects: EditorView.scrollIntoView(l.from, { y: 'center' }) });
  view.focus();
}

export function replaceText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: { anchor: 0 }, scrollIntoView: true });
}
