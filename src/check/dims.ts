/**
 * Dimensions written in tensor types: `[N, 2*C, H/2, W - 4]`. Evaluated with the block's
 * parameters, constants and dimension variables; `/` is exact division and `//` floor
 * division. For a block's `in` declarations, dimension variables are solved from the shape
 * of the tensor the block is called with (`unifyInputs`).
 */
import type { Expr, InDecl } from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import {
  compareDims, constValue, dimAdd, dimConst, dimExactDiv, dimFloorDiv, dimMul, dimSub, dimSym, dimToString, substitute,
  type Dim,
} from '../ir/dim/dim.ts';
import type { Scope } from './context.ts';
import { evalExpr, lookupName } from './expr.ts';
import { lookupTop } from './modules.ts';
import { describeVal, dimScalar, shapeText, type TensorVal } from './values.ts';
import { operandRelated } from './opcall.ts';
import { setArgFix, type CallText } from './fixes.ts';
import { spatialAxisName as axisWord } from '../ops/def-helpers.ts';
import type { Fix } from '../diag/diagnostic.ts';

/** Names a dimension expression mentions that are not bound in scope (free dimension variables). */
export function freeDimNames(e: Expr, s: Scope, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'NameRef':
      if (!s.env.has(e.name) && lookupTop(s.elab.prog, s.frame.mod, e.name)?.kind !== 'const') out.add(e.name);
      break;
    case 'BinaryExpr': freeDimNames(e.left, s, out); freeDimNames(e.right, s, out); break;
    case 'ParenExpr': freeDimNames(e.expr, s, out); break;
    case 'UnaryExpr': freeDimNames(e.operand, s, out); break;
    default: break;
  }
  return out;
}

/**
 * The value of a dimension expression; `free` gives the Dim of names not in scope (symbols of
 * a network input, or a variable being solved). Undefined after reporting when it is not one.
 */
export function evalDimExpr(e: Expr, s: Scope, free?: (name: string) => Dim | undefined): Dim | undefined {
  switch (e.kind) {
    case 'IntLit': return dimConst(e.value);
    case 'ParenExpr': return evalDimExpr(e.expr, s, free);
    case 'NameRef': {
      if (free && !s.env.has(e.name) && lookupTop(s.elab.prog, s.frame.mod, e.name)?.kind !== 'const') {
        return free(e.name);
      }
      return asDim(lookupName(e.name, s), e.span, s);
    }
    case 'UnaryExpr': {
      if (e.op !== '-') break;
      const d = evalDimExpr(e.operand, s, free);
      return d && dimSub(0, d);
    }
    case 'BinaryExpr': {
      if (!['+', '-', '*', '/', '//'].includes(e.op)) break;
      const l = evalDimExpr(e.left, s, free);
      const r = evalDimExpr(e.right, s, free);
      if (!l || !r) return undefined;
      if (e.op === '+') return dimAdd(l, r);
      if (e.op === '-') return dimSub(l, r);
      if (e.op === '*') return dimMul(l, r);
      const k = constValue(r);
      if (k === undefined || k <= 0) {
        s.elab.report(diag('NET1017', e.right.span, { expected: 'a positive integer divisor', got: `the dimension ${dimToString(r)}` }, { instances: s.frame.instances }));
        return undefined;
      }
      return e.op === '/' ? dimExactDiv(l, k) : dimFloorDiv(l, k);
    }
    default: break;
  }
  return asDim(evalExpr(e, s), e.span, s);
}

function asDim(v: ReturnType<typeof evalExpr>, span: Span, s: Scope): Dim | undefined {
  if (v.t === 'int') return dimConst(v.v);
  if (v.t === 'dim') return v.d;
  if (v.t === 'poison') return undefined;
  s.elab.report(diag('NET1017', span, { expected: 'a dimension (an int)', got: describeVal(v) }, { instances: s.frame.instances }));
  return undefined;
}

interface Pending {
  decl: InDecl;
  axis: number;
  expr: Expr;
  actual: Dim;
}

/** Coefficients of d as a linear function of the variable `v` (a*v + b), when it is one. */
function linearIn(d: (x: Dim) => Dim | undefined): { a: Dim; b: Dim } | undefined {
  const d0 = d(dimConst(0));
  const d1 = d(dimConst(1));
  const d2 = d(dimConst(2));
  if (!d0 || !d1 || !d2) return undefined;
  const a = dimSub(d1, d0);
  if (compareDims(dimSub(d2, d0), dimMul(a, 2)).kind !== 'equal') return undefined;
  return { a, b: d0 };
}

/** a as a fraction p/q of small integers, p != 0. */
function smallFraction(a: Dim): { p: number; q: number } | undefined {
  for (let q = 1; q <= 4096; q *= 2) {
    const p = constValue(dimMul(a, q));
    if (p !== undefined) return p === 0 ? undefined : { p, q };
  }
  for (let q = 3; q <= 64; q++) {
    const p = constValue(dimMul(a, q));
    if (p !== undefined) return p === 0 ? undefined : { p, q };
  }
  return undefined;
}

/**
 * Bind the block's `in` declarations to the tensors it is called with: dimension variables
 * take the sizes they stand for (solving `2*C` or `H/2` for the variable), and every size
 * is checked. Returns false after reporting a mismatch.
 */
/** The call of a block and its parameter names: an input size written as a parameter is fixed at the call. */
export interface ParamFixes {
  call: CallText;
  params: ReadonlySet<string>;
}

export function unifyInputs(
  decls: readonly InDecl[], inputs: readonly TensorVal[], calleeName: string, callSpan: Span, s: Scope, paramFixes?: ParamFixes,
): boolean {
  const pending: Pending[] = [];
  let ok = true;
  decls.forEach((decl, i) => {
    const t = inputs[i]!;
    checkDtype(decl, s);
    if (decl.type.dims.length !== t.shape.length) {
      s.elab.report(diag('NET2103', callSpan, { callee: calleeName, input: decl.name.name, expected: decl.type.dims.length, got: t.shape.length }, {
        related: [{ span: decl.type.span, message: `${decl.name.name} is declared here` }, ...operandRelated([t])],
        instances: s.frame.instances.slice(1),
      }));
      ok = false;
      return;
    }
    decl.type.dims.forEach((expr, axis) => pending.push({ decl, axis, expr, actual: t.shape[axis]! }));
  });
  if (!ok) return false;
  const solved = new Map<string, Dim>();
  const bindVar = (name: string, d: Dim) => {
    solved.set(name, d);
    s.env.set(name, dimScalar(d));
  };
  const mismatched = new Set<InDecl>();
  let progress = true;
  while (pending.length > 0 && progress) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i]!;
      const free = [...freeDimNames(p.expr, s)];
      if (free.length === 0) {
        pending.splice(i--, 1);
        progress = true;
        const want = evalDimExpr(p.expr, s);
        if (!want) {
          ok = false;
          continue;
        }
        const c = compareDims(p.actual, want);
        if (c.kind === 'unequal') mismatched.add(p.decl);
        else if (c.kind === 'requires') s.elab.requirements.addDivisibility(c.requirements, callSpan, s.frame.instances.slice(1));
        continue;
      }
      if (free.length !== 1) continue;
      const name = free[0]!;
      if (p.expr.kind === 'NameRef') {
        bindVar(name, p.actual);
        progress = true;
        continue;
      }
      const lin = linearIn((x) => evalDimExpr(p.expr, s, () => x));
      const frac = lin && smallFraction(lin.a);
      if (!lin || !frac || frac.p === 0) continue;
      // a*v + b = actual  =>  v = (actual - b) * q / p
      const num = dimMul(dimSub(p.actual, lin.b), frac.q);
      const v = frac.p > 0 ? dimExactDiv(num, frac.p) : dimExactDiv(dimSub(0, num), -frac.p);
      bindVar(name, v);
      progress = true;
    }
  }
  for (const p of pending) {
    const name = [...freeDimNames(p.expr, s)][0] ?? '?';
    s.elab.report(diag('NET1035', p.expr.span, { name, input: p.decl.name.name, dim: exprText(p.expr, s) }, { instances: s.frame.instances }));
    ok = false;
  }
  decls.forEach((decl, i) => {
    if (!mismatched.has(decl)) return;
    const t = inputs[i]!;
    const expected = decl.type.dims.map((e) => {
      const d = evalDimExpr(e, s, (n) => dimSym(n));
      return d ? dimToString(substitute(d, solved)) : '?';
    });
    const byParam = paramFixes ? parameterFix(decl, t, paramFixes, s) : undefined;
    s.elab.report(diag('NET2102', callSpan, {
      callee: calleeName, input: decl.name.name, expected: `[${expected.join(', ')}]`, got: shapeText(t.shape),
    }, {
      related: [{ span: decl.type.span, message: `${decl.name.name} is declared here` }, ...operandRelated([t])],
      notes: solvedNotes(solved),
      instances: s.frame.instances.slice(1),
      ...(byParam ?? {}),
    }));
    ok = false;
  });
  return ok;
}

/**
 * A size of the input declared as a parameter of the block (`in x: [N, in_c, H, W]`) that
 * the tensor does not have: the fix is that parameter's value at the call (`in_c=256`).
 */
function parameterFix(decl: InDecl, t: TensorVal, p: ParamFixes, s: Scope): { help: string; fixes: Fix[] } | undefined {
  const sets: { name: string; value: number; axis: number }[] = [];
  decl.type.dims.forEach((e, axis) => {
    if (e.kind !== 'NameRef' || !p.params.has(e.name)) return;
    const actual = constValue(t.shape[axis]!);
    const want = evalDimExpr(e, s);
    if (actual === undefined || !want || constValue(want) === actual) return;
    sets.push({ name: e.name, value: actual, axis });
  });
  if (sets.length !== 1) return undefined;
  const { name, value, axis } = sets[0]!;
  const fix = setArgFix(p.call, name, String(value));
  const rank = t.shape.length;
  const has = axis === 1 ? `${value} channels` : axis === 0 ? `a batch of ${value}` : `${axisWord(axis - 2, rank - 2)} ${value}`;
  return { help: `the tensor given as ${decl.name.name} has ${has}: pass ${name}=${value}`, fixes: fix ? [fix] : [] };
}

/** A size expression of a type as the user wrote it (`D / 2`, `2 * C`); `?` for other expressions. */
export function dimExprText(e: Expr): string {
  switch (e.kind) {
    case 'IntLit': return e.raw;
    case 'NameRef': return e.name;
    case 'ParenExpr': return `(${dimExprText(e.expr)})`;
    case 'UnaryExpr': return `${e.op}${dimExprText(e.operand)}`;
    case 'BinaryExpr': return `${dimExprText(e.left)} ${e.op} ${dimExprText(e.right)}`;
    default: return '?';
  }
}

function solvedNotes(solved: Map<string, Dim>): string[] {
  if (solved.size === 0) return [];
  return [`from the input: ${[...solved].map(([n, d]) => `${n} = ${dimToString(d)}`).join(', ')}`];
}

function exprText(e: Expr, s: Scope): string {
  const d = evalDimExpr(e, s, (n) => dimSym(n));
  return d ? dimToString(d) : 'the expression';
}

/** Only f32 tensors exist; another element type is reported at the declaration. */
export function checkDtype(decl: { type: { dtype?: { name: string; span: Span } } }, s: Scope): void {
  const dt = decl.type.dtype;
  if (dt && dt.name !== 'f32') s.elab.report(diag('NET1036', dt.span, { dtype: dt.name }));
}
