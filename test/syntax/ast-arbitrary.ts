/**
 * fast-check arbitraries for syntax trees in canonical form: the form the parser produces for
 * the printer's output (parentheses present wherever precedence needs them, literals with
 * their canonical text). Spans are synthetic; tests compare trees without them.
 */
import fc from 'fast-check';
import type * as A from '../../src/syntax/ast.ts';
import { syntheticSpan } from '../../src/diag/span.ts';

const span = syntheticSpan('gen.net');
const NAMES = ['x', 'y', 'c', 'k', 'relu', 'conv', 'Block1', 'p2_1', '_tmp', 'f32', 'N', 'H', 'stride', 'inp', 'outs', 'iffy'];

const name = fc.constantFrom(...NAMES);
const ident = name.map((n): A.Ident => ({ kind: 'Ident', name: n, span }));
const intLit = fc.nat({ max: 100000 }).map((v): A.IntLit => ({ kind: 'IntLit', value: v, raw: String(v), span }));
const floatLit = fc
  .constantFrom('0.5', '1e-3', '2.5e+4', '3.0', '10.25', '1E5', '0.001')
  .map((raw): A.FloatLit => ({ kind: 'FloatLit', value: Number(raw), raw, span }));
const stringLit = fc
  .string({ unit: fc.constantFrom('a', 'b', ' ', '"', '\\', '\n', '\t', 'é', '/', '*') , maxLength: 8 })
  .map((value): A.StringLit => ({ kind: 'StringLit', value, span }));
const boolLit = fc.boolean().map((value): A.BoolLit => ({ kind: 'BoolLit', value, span }));
const nameRef = name.map((n): A.Expr => ({ kind: 'NameRef', name: n, span }));
const leaf: fc.Arbitrary<A.Expr> = fc.oneof(intLit, floatLit, stringLit, boolLit, nameRef, nameRef);

const binaryOp = fc.constantFrom<A.BinaryOp>('+', '-', '*', '/', '//', '%', '==', '!=', '<', '<=', '>', '>=', 'and', 'or');

const trees = fc.letrec((tie) => {
  const expr = tie('expr') as fc.Arbitrary<A.Expr>;
  const stage = tie('stage') as fc.Arbitrary<A.Stage>;
  const stages = fc.array(stage, { maxLength: 3 });
  const arg = fc.record({ name: fc.option(ident, { nil: undefined }), value: expr }).map(
    ({ name: n, value }): A.Arg => (n === undefined ? { kind: 'Arg', value, span } : { kind: 'Arg', name: n, value, span }),
  );
  const args = fc.array(arg, { maxLength: 3 });
  const body: fc.Arbitrary<A.StageBody> = fc.oneof(
    { maxDepth: 3, depthIdentifier: 'stage' },
    fc.record({ callee: ident, args, parens: fc.boolean() }).map(({ callee, args: a, parens }): A.CallStage => {
      const withParens = parens || a.length > 0;
      return withParens
        ? { kind: 'CallStage', callee, args: a, argsSpan: span, span }
        : { kind: 'CallStage', callee, args: [], span };
    }),
    stages.map((s): A.SeqStage => ({ kind: 'SeqStage', stages: s, span })),
    fc.record({ count: expr, index: fc.option(ident, { nil: undefined }), stages }).map(
      ({ count, index, stages: s }): A.RepeatStage =>
        index === undefined ? { kind: 'RepeatStage', count, stages: s, span } : { kind: 'RepeatStage', count, index, stages: s, span },
    ),
    fc.record({ cond: expr, then: stages, otherwise: fc.option(stages, { nil: undefined }) }).map(
      ({ cond, then, otherwise }): A.IfStage =>
        otherwise === undefined ? { kind: 'IfStage', cond, then, span } : { kind: 'IfStage', cond, then, else: otherwise, span },
    ),
  );
  return {
    expr: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'expr' },
      leaf,
      fc.record({ op: fc.constantFrom<A.UnaryOp>('-', 'not'), operand: expr }).map(
        ({ op, operand }): A.Expr => ({ kind: 'UnaryExpr', op, operand, span }),
      ),
      fc.record({ op: binaryOp, left: expr, right: expr }).map(
        ({ op, left, right }): A.Expr => ({ kind: 'BinaryExpr', op, left, right, opSpan: span, span }),
      ),
      fc.record({ object: expr, member: fc.oneof(ident, intLit) }).map(
        ({ object, member }): A.Expr => ({ kind: 'MemberExpr', object, member, span }),
      ),
      fc.record({ object: expr, index: expr }).map(({ object, index }): A.Expr => ({ kind: 'IndexExpr', object, index, span })),
      fc.record({ callee: ident, args }).map(({ callee, args: a }): A.Expr => ({ kind: 'CallExpr', callee, args: a, argsSpan: span, span })),
      fc.array(expr, { maxLength: 3 }).map((elements): A.Expr => ({ kind: 'TupleExpr', elements, span })),
      fc.array(expr, { maxLength: 3 }).map((elements): A.Expr => ({ kind: 'ListExpr', elements, span })),
      expr.map((e): A.Expr => ({ kind: 'ParenExpr', expr: e, span })),
      fc.record({ cond: expr, then: expr, otherwise: fc.option(expr, { nil: undefined }) }).map(
        ({ cond, then, otherwise }): A.Expr =>
          otherwise === undefined ? { kind: 'IfExpr', cond, then, span } : { kind: 'IfExpr', cond, then, else: otherwise, span },
      ),
      fc.record({ head: expr, stages: fc.array(stage, { minLength: 1, maxLength: 3 }) }).map(
        ({ head, stages: s }): A.Expr => ({ kind: 'PipeExpr', head, stages: s, span }),
      ),
    ),
    stage: fc.record({ label: fc.option(fc.oneof(ident, intLit), { nil: undefined }), body }).map(
      ({ label, body: b }): A.Stage => (label === undefined ? { kind: 'Stage', body: b, span } : { kind: 'Stage', label, body: b, span }),
    ),
  };
});

export const exprArb = trees.expr;

const typeArb: fc.Arbitrary<A.TypeExpr> = fc.letrec((tie) => ({
  type: fc.oneof(
    { maxDepth: 2 },
    tie('member') as fc.Arbitrary<A.TypeExpr>,
    fc.array(stringLit, { minLength: 1, maxLength: 3 }).map((values): A.TypeExpr => ({ kind: 'EnumType', values, span })),
    // A union as the parser builds it: no union inside, strings only as one enumeration at the end.
    fc.record({
      members: fc.array(tie('member') as fc.Arbitrary<A.TypeExpr>, { minLength: 1, maxLength: 3 }),
      strings: fc.array(stringLit, { maxLength: 2 }),
    }).map(({ members, strings }): A.TypeExpr => {
      const alternatives = strings.length > 0 ? [...members, { kind: 'EnumType' as const, values: strings, span }] : members;
      return alternatives.length === 1 ? alternatives[0]! : { kind: 'UnionType', alternatives, span };
    }),
  ),
  member: fc.oneof(
    { maxDepth: 2 },
    fc.constantFrom<A.PrimType['name']>('int', 'float', 'bool', 'string').map((n): A.TypeExpr => ({ kind: 'PrimType', name: n, span })),
    fc.array(tie('type') as fc.Arbitrary<A.TypeExpr>, { minLength: 1, maxLength: 3 }).map((elements): A.TypeExpr => ({ kind: 'TupleType', elements, span })),
    (tie('type') as fc.Arbitrary<A.TypeExpr>).map((element): A.TypeExpr => ({ kind: 'ListType', element, span })),
  ),
})).type;

const tensorType = fc.record({ dtype: fc.option(ident, { nil: undefined }), dims: fc.array(exprArb, { maxLength: 4 }) }).map(
  ({ dtype, dims }): A.TensorType => (dtype === undefined ? { kind: 'TensorType', dims, span } : { kind: 'TensorType', dtype, dims, span }),
);
const optTensor = fc.option(tensorType, { nil: undefined });

const stmt: fc.Arbitrary<A.Stmt> = fc.oneof(
  fc.record({ name: ident, type: tensorType }).map(({ name: n, type }): A.Stmt => ({ kind: 'InDecl', name: n, type, span })),
  fc.record({ name: ident, type: optTensor, value: exprArb }).map(({ name: n, type, value }): A.Stmt =>
    type === undefined ? { kind: 'LetStmt', name: n, value, span } : { kind: 'LetStmt', name: n, type, value, span },
  ),
  fc.record({ name: fc.option(ident, { nil: undefined }), type: optTensor, value: exprArb }).map(({ name: n, type, value }): A.Stmt => {
    if (n === undefined) return { kind: 'OutDecl', value, span };
    return type === undefined ? { kind: 'OutDecl', name: n, value, span } : { kind: 'OutDecl', name: n, type, value, span };
  }),
);

const param = fc.record({ name: ident, type: typeArb, dflt: fc.option(exprArb, { nil: undefined }) }).map(
  ({ name: n, type, dflt }): A.ParamDecl =>
    dflt === undefined ? { kind: 'ParamDecl', name: n, type, span } : { kind: 'ParamDecl', name: n, type, default: dflt, span },
);

const item: fc.Arbitrary<A.Item> = fc.oneof(
  fc.record({
    names: fc.array(fc.record({ name: ident, alias: fc.option(ident, { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
    path: stringLit,
  }).map(({ names, path }): A.Item => ({
    kind: 'ImportDecl',
    names: names.map((n): A.ImportName => (n.alias === undefined ? { kind: 'ImportName', name: n.name, span } : { kind: 'ImportName', name: n.name, alias: n.alias, span })),
    path,
    span,
  })),
  fc.record({ name: ident, value: exprArb }).map(({ name: n, value }): A.Item => ({ kind: 'ConstDecl', name: n, value, span })),
  fc.record({ isNetwork: fc.boolean(), name: ident, params: fc.array(param, { maxLength: 3 }), body: fc.array(stmt, { maxLength: 4 }) }).map(
    ({ isNetwork, name: n, params, body }): A.Item => ({ kind: 'BlockDecl', isNetwork, name: n, params, body, span }),
  ),
);

export const sourceFileArb = fc.array(item, { maxLength: 4 }).map(
  (items): A.SourceFile => canonical({ kind: 'SourceFile', path: 'gen.net', items, comments: [], span }),
);

// ---------------------------------------------------------------- canonical form

const PREC: Record<string, number> = { or: 1, and: 2, not: 3, '==': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '//': 6, '%': 6 };

function precOf(e: A.Expr): number {
  if (e.kind === 'PipeExpr') return 0;
  if (e.kind === 'BinaryExpr') return PREC[e.op]!;
  if (e.kind === 'UnaryExpr') return e.op === 'not' ? 3 : 7;
  return 8;
}

const paren = (e: A.Expr): A.Expr => ({ kind: 'ParenExpr', expr: e, span });

/** Wrap `e` in parentheses when its context binds tighter (what the printer does, made explicit). */
function at(e: A.Expr, minPrec: number): A.Expr {
  const c = canonExpr(e);
  return precOf(c) < minPrec ? paren(c) : c;
}

function canonExpr(e: A.Expr): A.Expr {
  switch (e.kind) {
    case 'UnaryExpr':
      return { ...e, operand: at(e.operand, e.op === 'not' ? 3 : 7) };
    case 'BinaryExpr': {
      const p = PREC[e.op]!;
      return { ...e, left: at(e.left, p), right: at(e.right, p + 1) };
    }
    case 'MemberExpr': {
      const object = at(e.object, 8);
      return { ...e, object: object.kind === 'IntLit' ? paren(object) : object };
    }
    case 'IndexExpr':
      return { ...e, object: at(e.object, 8), index: at(e.index, 0) };
    case 'CallExpr':
      return { ...e, args: e.args.map(canonArg) };
    case 'TupleExpr':
    case 'ListExpr':
      return { ...e, elements: e.elements.map((x) => at(x, 0)) };
    case 'ParenExpr':
      return { ...e, expr: at(e.expr, 0) };
    case 'IfExpr':
      return { ...e, cond: at(e.cond, 1), then: at(e.then, 0), ...(e.else ? { else: at(e.else, 0) } : {}) };
    case 'PipeExpr':
      return { ...e, head: at(e.head, 1), stages: e.stages.map(canonStage) };
    default:
      return e;
  }
}

const canonArg = (a: A.Arg): A.Arg => ({ ...a, value: at(a.value, 0) });

function canonStage(s: A.Stage): A.Stage {
  const b = s.body;
  switch (b.kind) {
    case 'CallStage':
      return { ...s, body: { ...b, args: b.args.map(canonArg) } };
    case 'SeqStage':
      return { ...s, body: { ...b, stages: b.stages.map(canonStage) } };
    case 'RepeatStage':
      return { ...s, body: { ...b, count: at(b.count, 1), stages: b.stages.map(canonStage) } };
    case 'IfStage':
      return {
        ...s,
        body: { ...b, cond: at(b.cond, 1), then: b.then.map(canonStage), ...(b.else ? { else: b.else.map(canonStage) } : {}) },
      };
  }
}

function canonTensor(t: A.TensorType): A.TensorType {
  return { ...t, dims: t.dims.map((d) => at(d, 0)) };
}

function canonStmt(s: A.Stmt): A.Stmt {
  switch (s.kind) {
    case 'InDecl':
      return { ...s, type: canonTensor(s.type) };
    case 'LetStmt':
    case 'OutDecl':
      return { ...s, ...(s.type ? { type: canonTensor(s.type) } : {}), value: at(s.value, 0) };
  }
}

function canonical(f: A.SourceFile): A.SourceFile {
  const items = f.items.map((i): A.Item => {
    switch (i.kind) {
      case 'ImportDecl':
        return i;
      case 'ConstDecl':
        return { ...i, value: at(i.value, 0) };
      case 'BlockDecl':
        return {
          ...i,
          params: i.params.map((p) => ({ ...p, ...(p.default ? { default: at(p.default, 0) } : {}) })),
          body: i.body.map(canonStmt),
        };
    }
  });
  return { ...f, items };
}

/** Any tree, canonical or not: the printer must still produce text that parses to the same tree up to parentheses. */
export function withoutParens(tree: unknown): unknown {
  if (Array.isArray(tree)) return tree.map(withoutParens);
  if (typeof tree !== 'object' || tree === null) return tree;
  const rec = tree as Record<string, unknown>;
  if (rec.kind === 'ParenExpr') return withoutParens(rec.expr);
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, withoutParens(v)]));
}
