/**
 * `.net` highlighting from the project's own lexer (src/syntax/lexer.ts): every token gets
 * the class of its kind (keyword, number, string, comment, operator), so the colours follow
 * the language exactly as the compiler reads it. The lexer is fast enough to run on the whole
 * document on each change (GoogLeNet: under a millisecond).
 */
import { RangeSetBuilder } from '@codemirror/state';
import { Decoration, ViewPlugin, type DecorationSet, type EditorView, type ViewUpdate } from '@codemirror/view';
import { KEYWORDS, lexSource } from '../../../src/syntax/lexer.ts';

// The TextMate scope the grammar gives each keyword picks its colour class.
const KEYWORD_CLASS = new Map(KEYWORDS.map((k) => [k.token.name, k.scope === 'support.type' ? 'tok-type' : k.scope === 'constant.language' ? 'tok-number' : 'tok-keyword']));
const marks = new Map<string, Decoration>();
const mark = (cls: string): Decoration => {
  let m = marks.get(cls);
  if (!m) marks.set(cls, (m = Decoration.mark({ class: cls })));
  return m;
};

function classOf(tokenName: string, nextImage: string | undefined): string | undefined {
  const keyword = KEYWORD_CLASS.get(tokenName);
  if (keyword) return keyword;
  switch (tokenName) {
    case 'IntLit':
    case 'FloatLit':
      return 'tok-number';
    case 'StringLit':
    case 'UnterminatedString':
    case 'SingleQuotedString':
      return 'tok-string';
    case 'PipeOp':
      return 'tok-pipe';
    case 'Identifier':
      return nextImage === '(' ? 'tok-call' : nextImage === ':' ? 'tok-label' : undefined;
    default:
      return undefined;
  }
}

function decorate(text: string): DecorationSet {
  const lexed = lexSource(text, 'highlight.net');
  const ranges: { from: number; to: number; cls: string }[] = [];
  lexed.tokens.forEach((t, i) => {
    const cls = classOf(t.tokenType.name, lexed.tokens[i + 1]?.image);
    if (cls) ranges.push({ from: t.startOffset, to: t.startOffset + t.image.length, cls });
  });
  for (const c of lexed.comments) ranges.push({ from: c.span.start.offset, to: c.span.end.offset, cls: 'tok-comment' });
  ranges.sort((a, b) => a.from - b.from);
  const b = new RangeSetBuilder<Decoration>();
  for (const r of ranges) b.add(r.from, r.to, mark(r.cls));
  return b.finish();
}

export const lexerHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = decorate(view.state.doc.toString());
    }
    update(u: ViewUpdate): void {
      if (u.docChanged) this.decorations = decorate(u.state.doc.toString());
    }
  },
  { decorations: (v) => v.decorations },
);
