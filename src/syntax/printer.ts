/**
 * The canonical layout of a `.net` file, the base of `netc fmt` and of the ONNX importer's
 * output: 2-space indent, one statement per line, spaces around `|>` and binary operators,
 * `k=1` in named arguments, lines of at most 100 columns (a pipeline that does not fit puts
 * each `|>` on its own line), at most one blank line kept between statements, one between
 * blocks. Comments stay where they were: on their own line before a statement or stage, or at
 * the end of a line, where the comments of consecutive lines line up in one column.
 *
 * The printer works from the AST alone, so trees built by other tools print too; parentheses
 * are added wherever precedence needs them.
 */
import type * as A from './ast.ts';
import { CommentStore } from './comment-store.ts';
import { group, hardline, ifBreak, indent, join, line, lineSuffix, render, softline, type Doc } from './doc.ts';
import { STRING_ESCAPES } from './lexer.ts';

export const PRINT_WIDTH = 100;

/** Binding strength of each expression form; a child weaker than its context gets parentheses. */
const PREC = { pipe: 0, or: 1, and: 2, not: 3, compare: 4, add: 5, mul: 6, unary: 7, postfix: 8 } as const;

const BINARY_PREC: Record<A.BinaryOp, number> = {
  or: PREC.or,
  and: PREC.and,
  '==': PREC.compare, '!=': PREC.compare, '<': PREC.compare, '<=': PREC.compare, '>': PREC.compare, '>=': PREC.compare,
  '+': PREC.add, '-': PREC.add,
  '*': PREC.mul, '/': PREC.mul, '//': PREC.mul, '%': PREC.mul,
};

/** How each operator is written (`//` is the floor division `div`, as `//` starts a comment). */
const BINARY_TEXT: Record<A.BinaryOp, string> = { ...Object.fromEntries(Object.keys(BINARY_PREC).map((k) => [k, k])), '//': 'div' } as Record<A.BinaryOp, string>;

export function printSource(ast: A.SourceFile): string {
  return new Printer(ast.comments).file(ast);
}

function precOf(e: A.Expr): number {
  switch (e.kind) {
    case 'PipeExpr':
      return PREC.pipe;
    case 'BinaryExpr':
      return BINARY_PREC[e.op];
    case 'UnaryExpr':
      return e.op === 'not' ? PREC.not : PREC.unary;
    default:
      return PREC.postfix;
  }
}

export function quoteString(value: string): string {
  const escapes = Object.fromEntries(Object.entries(STRING_ESCAPES).map(([k, v]) => [v, `\\${k}`]));
  return `"${value.replace(/["\\\n\t]/g, (c) => escapes[c] ?? c)}"`;
}

function intText(lit: A.IntLit): string {
  return /^[0-9]+$/.test(lit.raw) && Number(lit.raw) === lit.value ? lit.raw : String(lit.value);
}

function floatText(lit: A.FloatLit): string {
  if (/^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(lit.raw) && /[.eE]/.test(lit.raw) && Number(lit.raw) === lit.value) {
    return lit.raw;
  }
  // No literal denotes NaN or infinity: write expressions that evaluate to them.
  if (Number.isNaN(lit.value)) return '(0.0 / 0.0)';
  if (!Number.isFinite(lit.value)) return lit.value > 0 ? '1e999' : '-1e999';
  const s = String(lit.value);
  return /[.eEn]/.test(s) ? s : `${s}.0`;
}

/** Lines between two positions, for keeping one blank line where the source had some. */
function gap(prevEndLine: number, nextStartLine: number): boolean {
  return nextStartLine > prevEndLine + 1;
}

class Printer {
  private readonly comments: CommentStore;

  constructor(comments: A.Comment[]) {
    this.comments = new CommentStore(comments);
  }

  file(ast: A.SourceFile): string {
    const parts: Doc[] = [];
    let prev: A.Item | undefined;
    let prevEndLine = 0;
    ast.items.forEach((item, i) => {
      const leading = this.comments.takeBefore(item.span.start.offset);
      if (prev !== undefined) {
        const firstLine = leading[0]?.span.start.line ?? item.span.start.line;
        const blank = prev.kind === 'BlockDecl' || item.kind === 'BlockDecl' || gap(prevEndLine, firstLine) || prev.kind !== item.kind;
        parts.push(hardline);
        if (blank) parts.push(hardline);
      }
      const doc = this.item(item);
      const next = ast.items[i + 1]?.span.start.offset;
      parts.push(this.commentLines(leading, item.span.start.line), doc, this.trailing(item.span, next));
      prevEndLine = item.span.end.line;
      prev = item;
    });
    const rest = this.comments.takeAll();
    if (rest.length > 0) {
      if (prev !== undefined) parts.push(hardline, gap(prevEndLine, rest[0]!.span.start.line) ? hardline : '');
      parts.push(this.commentLines(rest, Number.MAX_SAFE_INTEGER, false));
    }
    const text = render(parts, PRINT_WIDTH);
    return text === '' ? '' : `${text}\n`;
  }

  // ---------------------------------------------------------------- comments

  /** Comments on their own lines, each followed by a newline; blank lines between them kept. */
  private commentLines(comments: A.Comment[], nextLine: number, trailingBreak = true): Doc {
    const out: Doc[] = [];
    comments.forEach((c, i) => {
      if (i > 0) out.push(hardline, gap(comments[i - 1]!.span.end.line, c.span.start.line) ? hardline : '');
      out.push(c.text);
    });
    if (comments.length > 0 && trailingBreak) {
      out.push(hardline, gap(comments[comments.length - 1]!.span.end.line, nextLine) ? hardline : '');
    }
    return out;
  }

  /** A comment at the end of the node's last line, if any. */
  private trailing(span: A.Node['span'], before?: number): Doc {
    const found = this.comments.takeTrailing(span.end.offset, span.end.line, before);
    return found.map((c) => lineSuffix(` ${c.text}`));
  }

  // ---------------------------------------------------------------- items

  private item(item: A.Item): Doc {
    switch (item.kind) {
      case 'ImportDecl': {
        const names = item.names.map((n) => (n.alias ? `${n.name.name} as ${n.alias.name}` : n.name.name));
        return group('import {', indent(line, join([',', line], names), ifBreak(',')), line, '} from ', quoteString(item.path.value));
      }
      case 'ConstDecl':
        return ['const ', item.name.name, ' = ', this.expr(item.value, PREC.pipe)];
      case 'BlockDecl':
        return this.block(item);
    }
  }

  private block(b: A.BlockDecl): Doc {
    const lastParam = b.params[b.params.length - 1];
    const headerEnd = Math.max(b.name.span.end.offset, lastParam?.span.end.offset ?? 0);
    const bodyStart = b.body[0]?.span.start.offset ?? b.span.end.offset;
    // Comments inside the parameter list move above the block; one after `{` stays there.
    const moved = this.comments.takeBetween(b.span.start.offset, headerEnd);
    const headerLine = lastParam?.span.end.line ?? b.name.span.end.line;
    const afterBrace = this.comments.takeTrailing(headerEnd, headerLine, bodyStart).map((c) => lineSuffix(` ${c.text}`));
    const params =
      b.params.length === 0
        ? ''
        : group('(', indent(softline, join([',', line], b.params.map((p) => this.param(p)))), ifBreak(','), softline, ')');
    const header = [b.isNetwork ? 'network ' : 'block ', b.name.name, params, ' {', afterBrace];
    const body = this.statements(b.body, b.span.end.offset);
    const doc = body === undefined ? [header, '}'] : [header, indent(hardline, body), hardline, '}'];
    return [this.commentLines(moved, b.span.start.line), doc];
  }

  private param(p: A.ParamDecl): Doc {
    return [p.name.name, ': ', this.type(p.type), p.default ? [' = ', this.expr(p.default, PREC.pipe)] : ''];
  }

  /** The statements of a body and the comments up to `end`; undefined when there are none. */
  private statements(stmts: A.Stmt[], end: number): Doc | undefined {
    const parts: Doc[] = [];
    let prevEndLine = -1;
    stmts.forEach((s, i) => {
      const leading = this.comments.takeBefore(s.span.start.offset);
      if (prevEndLine >= 0) {
        parts.push(hardline, gap(prevEndLine, leading[0]?.span.start.line ?? s.span.start.line) ? hardline : '');
      }
      const doc = this.statement(s);
      // Comments inside the statement that no stage took move above it.
      const inner = this.comments.takeBetween(s.span.start.offset, s.span.end.offset);
      const next = stmts[i + 1]?.span.start.offset ?? end;
      parts.push(this.commentLines([...leading, ...inner], s.span.start.line), doc, this.trailing(s.span, next));
      prevEndLine = s.span.end.line;
    });
    const rest = this.comments.takeBefore(end);
    if (rest.length > 0) {
      if (prevEndLine >= 0) parts.push(hardline, gap(prevEndLine, rest[0]!.span.start.line) ? hardline : '');
      parts.push(this.commentLines(rest, Number.MAX_SAFE_INTEGER, false));
    }
    return parts.length === 0 ? undefined : parts;
  }

  private statement(s: A.Stmt): Doc {
    switch (s.kind) {
      case 'InDecl':
        return ['in ', s.name.name, ': ', this.tensorType(s.type)];
      case 'LetStmt':
        return [s.name.name, s.type ? [': ', this.tensorType(s.type)] : '', ' = ', this.expr(s.value, PREC.pipe)];
      case 'OutDecl':
        return [
          'out ',
          s.name ? [s.name.name, s.type ? [': ', this.tensorType(s.type)] : '', ' = '] : '',
          this.expr(s.value, PREC.pipe),
        ];
    }
  }

  // ---------------------------------------------------------------- types

  private type(t: A.TypeExpr): Doc {
    switch (t.kind) {
      case 'PrimType':
        return t.name;
      case 'TupleType':
        return ['(', join(', ', t.elements.map((e) => this.type(e))), t.elements.length === 1 ? ',' : '', ')'];
      case 'ListType':
        return ['[', this.type(t.element), ']'];
      case 'EnumType':
        return join(' | ', t.values.map((v) => quoteString(v.value)));
      case 'UnionType':
        return join(' | ', t.alternatives.map((a) => this.type(a)));
    }
  }

  private tensorType(t: A.TensorType): Doc {
    return [t.dtype?.name ?? '', this.bracketed('[', t.dims, ']')];
  }

  private bracketed(open: string, elements: A.Expr[], close: string): Doc {
    if (elements.length === 0) return [open, close];
    const docs = elements.map((e) => this.expr(e, PREC.pipe));
    return group(open, indent(softline, join([',', line], docs)), ifBreak(','), softline, close);
  }

  // ---------------------------------------------------------------- expressions

  private expr(e: A.Expr, minPrec: number): Doc {
    const doc = this.exprInner(e);
    return precOf(e) < minPrec ? ['(', doc, ')'] : doc;
  }

  private exprInner(e: A.Expr): Doc {
    switch (e.kind) {
      case 'IntLit':
        return intText(e);
      case 'FloatLit':
        return floatText(e);
      case 'StringLit':
        return quoteString(e.value);
      case 'BoolLit':
        return e.value ? 'true' : 'false';
      case 'NameRef':
        return e.name;
      case 'ParenExpr':
        return ['(', this.expr(e.expr, PREC.pipe), ')'];
      case 'TupleExpr':
        if (e.elements.length === 1) return ['(', this.expr(e.elements[0]!, PREC.pipe), ',)'];
        return this.bracketed('(', e.elements, ')');
      case 'ListExpr':
        return this.bracketed('[', e.elements, ']');
      case 'UnaryExpr': {
        if (e.op === 'not') return ['not ', this.expr(e.operand, PREC.not)];
        return ['-', this.expr(e.operand, PREC.unary)];
      }
      case 'BinaryExpr': {
        const p = BINARY_PREC[e.op];
        return [this.expr(e.left, p), ` ${BINARY_TEXT[e.op]} `, this.expr(e.right, p + 1)];
      }
      case 'MemberExpr': {
        // `1.0` would read as a float: an integer object needs parentheses.
        const object = e.object.kind === 'IntLit' ? ['(', this.exprInner(e.object), ')'] : this.expr(e.object, PREC.postfix);
        return [object, '.', e.member.kind === 'IntLit' ? intText(e.member) : e.member.name];
      }
      case 'IndexExpr':
        return [this.expr(e.object, PREC.postfix), '[', this.expr(e.index, PREC.pipe), ']'];
      case 'CallExpr':
        return [e.callee.name, this.args(e.args)];
      case 'IfExpr':
        return this.ifExpr(e);
      case 'PipeExpr':
        return this.pipe(e);
    }
  }

  private args(args: A.Arg[]): Doc {
    if (args.length === 0) return '()';
    const docs = args.map((a): Doc => (a.name ? [a.name.name, '=', this.expr(a.value, PREC.pipe)] : this.expr(a.value, PREC.pipe)));
    return group('(', indent(softline, join([',', line], docs)), ifBreak(','), softline, ')');
  }

  private ifExpr(e: A.IfExpr): Doc {
    const branch = (x: A.Expr): Doc => group('{', indent(line, this.expr(x, PREC.pipe)), line, '}');
    const otherwise = e.else === undefined ? '' : [' else ', e.else.kind === 'IfExpr' ? this.ifExpr(e.else) : branch(e.else)];
    return ['if ', this.expr(e.cond, PREC.or), ' ', branch(e.then), otherwise];
  }

  /** `head |> s1 |> s2`, broken before every `|>` when it does not fit. */
  private pipe(e: A.PipeExpr): Doc {
    const head = this.expr(e.head, PREC.or);
    const rest: Doc[] = [];
    let prevEnd = e.head.span;
    for (const s of e.stages) {
      rest.push(this.trailing(prevEnd, s.span.start.offset));
      const leading = this.comments.takeBefore(s.span.start.offset);
      rest.push(line, this.commentLines(leading, s.span.start.line), '|> ', this.stage(s));
      prevEnd = s.span;
    }
    return group(head, indent(rest));
  }

  // ---------------------------------------------------------------- stages

  private stage(s: A.Stage): Doc {
    const label = s.label ? [s.label.kind === 'IntLit' ? intText(s.label) : s.label.name, ': '] : '';
    return [label, this.stageBody(s.body)];
  }

  private stageBody(b: A.StageBody): Doc {
    switch (b.kind) {
      case 'CallStage':
        return [b.callee.name, b.argsSpan !== undefined || b.args.length > 0 ? this.args(b.args) : ''];
      case 'SeqStage':
        return ['seq ', this.stageBlock(b.stages, b.span.end.offset)];
      case 'RepeatStage':
        return [
          'repeat ',
          this.expr(b.count, PREC.or),
          b.index ? [' as ', b.index.name] : '',
          ' ',
          this.stageBlock(b.stages, b.span.end.offset),
        ];
      case 'IfStage':
        return this.ifStage(b);
    }
  }

  /** An `if` chain is one group: either every branch fits on the line or every branch breaks. */
  private ifStage(b: A.IfStage): Doc {
    return group(this.ifChain(b));
  }

  private ifChain(b: A.IfStage): Doc {
    const elseEnd = b.span.end.offset;
    const thenEnd = b.else?.[0]?.span.start.offset ?? elseEnd;
    const then = this.stageBlockParts(b.then, thenEnd);
    if (b.else === undefined) return ['if ', this.expr(b.cond, PREC.or), ' ', then];
    const only = b.else.length === 1 ? b.else[0]! : undefined;
    const elseIf = only !== undefined && only.label === undefined && only.body.kind === 'IfStage';
    const otherwise = elseIf ? this.ifChain(only.body as A.IfStage) : this.stageBlockParts(b.else, elseEnd);
    return ['if ', this.expr(b.cond, PREC.or), ' ', then, ' else ', otherwise];
  }

  /** `{ s1 |> s2 }`, or one stage per line with its comments. */
  private stageBlock(stages: A.Stage[], end: number): Doc {
    return group(this.stageBlockParts(stages, end));
  }

  private stageBlockParts(stages: A.Stage[], end: number): Doc {
    if (stages.length === 0) {
      const inside = this.comments.takeBefore(end);
      return inside.length === 0 ? '{}' : ['{', indent(hardline, this.commentLines(inside, 0, false)), hardline, '}'];
    }
    const parts: Doc[] = [];
    stages.forEach((s, i) => {
      const leading = this.comments.takeBefore(s.span.start.offset);
      parts.push(line, this.commentLines(leading, s.span.start.line), i > 0 ? '|> ' : '', this.stage(s));
      const next = stages[i + 1]?.span.start.offset ?? end;
      parts.push(this.trailing(s.span, next));
    });
    const inside = this.comments.takeBefore(end);
    const tail = inside.length > 0 ? [hardline, this.commentLines(inside, 0, false)] : '';
    return ['{', indent(parts, tail), line, '}'];
  }
}
