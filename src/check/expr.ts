/**
 * Evaluation of expressions inside a block instance: literals, names, tuples and lists,
 * element access, arithmetic, comparison, logic and `if`, and the tensor forms (calls,
 * pipelines, `a + b`, `a * b`, `enc.skip`) which build graph nodes through calls.ts.
 *
 * Scalars follow the language's rules: int op int stays int (`/` gives a float), an int is
 * promoted where it meets a float, and a dimension that is not a known constant stays
 * symbolic under + - * // and exact `/` by an integer.
 */
import type { BinaryExpr, ConstDecl, Expr, MemberExpr, IndexExpr } from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import {
  compareDims, dimAdd, dimConst, dimExactDiv, dimFloorDiv, dimMul, dimSub, dimToString, type Dim,
} from '../ir/dim/dim.ts';
import { Env, type Scope } from './context.ts';
import { lookupTop, type ModuleInfo } from './modules.ts';
import { LIMITS } from '../ir/limits.ts';
import { POISON, describeVal, dimScalar, isScalar, type Scalar, type TensorVal, type Val } from './values.ts';
import { evalCallExpr, evalPipe, evalTensorBinary } from './calls.ts';

export function evalExpr(e: Expr, s: Scope): Val {
  s.elab.step(e.span);
  if (s.depth > LIMITS.expressionDepth) return POISON; // reported by resolve.ts
  switch (e.kind) {
    case 'IntLit': return { t: 'int', v: e.value };
    case 'FloatLit': return { t: 'float', v: e.value };
    case 'StringLit': return { t: 'string', v: e.value };
    case 'BoolLit': return { t: 'bool', v: e.value };
    case 'NameRef': return lookupName(e.name, s);
    default: return evalCompound(e, { ...s, depth: s.depth + 1 }, s);
  }
}

/** Expressions with operands, evaluated one level deeper (`inner`). */
function evalCompound(e: Exclude<Expr, { kind: 'IntLit' | 'FloatLit' | 'StringLit' | 'BoolLit' | 'NameRef' }>, inner: Scope, s: Scope): Val {
  switch (e.kind) {
    case 'ParenExpr': return evalExpr(e.expr, inner);
    case 'TupleExpr': case 'ListExpr': {
      const items: Scalar[] = [];
      let bad = false;
      for (const x of e.elements) {
        const v = evalExpr(x, inner);
        if (v.t === 'poison') bad = true;
        else if (!isScalar(v)) {
          s.elab.report(diag('NET1017', x.span, { expected: 'a scalar element', got: describeVal(v) }, { instances: s.frame.instances }));
          bad = true;
        } else items.push(v);
      }
      if (bad) return POISON;
      return e.kind === 'TupleExpr' ? { t: 'tuple', items } : { t: 'list', items };
    }
    case 'UnaryExpr': {
      const v = evalExpr(e.operand, inner);
      if (v.t === 'poison') return POISON;
      if (e.op === 'not') {
        if (v.t === 'bool') return { t: 'bool', v: !v.v };
        return expected(s, e.operand.span, 'a bool', v);
      }
      if (v.t === 'int' || v.t === 'float') return { t: v.t, v: -v.v };
      if (v.t === 'dim') return dimScalar(dimSub(0, v.d));
      return expected(s, e.operand.span, 'a number', v);
    }
    case 'BinaryExpr': return evalBinary(e, inner);
    case 'MemberExpr': return evalMember(e, inner);
    case 'IndexExpr': return evalIndex(e, inner);
    case 'IfExpr': {
      const c = evalCondition(e.cond, inner);
      if (c === undefined) return POISON;
      if (c) return evalExpr(e.then, inner);
      return e.else ? evalExpr(e.else, inner) : POISON; // a missing else is reported by resolve.ts
    }
    case 'CallExpr': return evalCallExpr(e, inner);
    case 'PipeExpr': return evalPipe(e, inner);
  }
}

function expected(s: Scope, span: Span, what: string, got: Val): Val {
  s.elab.report(diag('NET1017', span, { expected: what, got: describeVal(got) }, { instances: s.frame.instances }));
  return POISON;
}

/** A bool condition; undefined (after reporting) when it is not one. */
export function evalCondition(e: Expr, s: Scope): boolean | undefined {
  const v = evalExpr(e, s);
  if (v.t === 'poison') return undefined;
  if (v.t !== 'bool') {
    s.elab.report(diag('NET1033', e.span, { got: describeVal(v) }, { instances: s.frame.instances }));
    return undefined;
  }
  return v.v;
}

export function lookupName(name: string, s: Scope): Val {
  const v = s.env.get(name);
  if (v !== undefined) return v;
  const top = lookupTop(s.elab.prog, s.frame.mod, name);
  if (top?.kind === 'const') return evalConst(top.decl, top.module, s);
  return POISON; // unknown names are reported by resolve.ts
}

/** A file-level constant, evaluated once per network in its own module. */
export function evalConst(decl: ConstDecl, mod: ModuleInfo, s: Scope): Val {
  const cached = s.elab.constCache.get(decl);
  if (cached) return cached;
  if (s.elab.constsInProgress.has(decl)) {
    s.elab.report(diag('NET1039', decl.name.span, { name: decl.name.name }));
    return POISON;
  }
  s.elab.constsInProgress.add(decl);
  const cs: Scope = {
    ...s,
    env: new Env(),
    frame: { ...s.frame, mod, instances: [] },
  };
  const v = evalExpr(decl.value, cs);
  s.elab.constsInProgress.delete(decl);
  s.elab.constCache.set(decl, v);
  return v;
}

function evalMember(e: MemberExpr, s: Scope): Val {
  const obj = evalExpr(e.object, s);
  if (obj.t === 'poison') return POISON;
  const m = e.member;
  if (m.kind === 'IntLit') {
    if (obj.t === 'tuple' || obj.t === 'list') return element(obj.items, m.value, obj.t, m.span, s);
    s.elab.report(diag('NET1043', m.span, { what: describeVal(obj), member: String(m.value) }, { instances: s.frame.instances }));
    return POISON;
  }
  if (obj.t === 'outputs') {
    const out = obj.outputs.get(m.name);
    if (out) return out;
    s.elab.report(diag('NET1022', m.span, { callee: obj.callee, name: m.name }, {
      notes: [`its outputs are ${[...obj.outputs.keys()].join(', ')}`],
      instances: s.frame.instances,
    }));
    return POISON;
  }
  const single = obj.t === 'tensor' ? obj.singleOutput : undefined;
  s.elab.report(diag('NET1043', m.span, { what: describeVal(obj), member: m.name }, {
    instances: s.frame.instances,
    help: single && single.name === m.name
      ? `${single.callee} has a single output, ${single.name}: its call is that tensor, so use it without .${m.name}`
      : undefined,
  }));
  return POISON;
}

function evalIndex(e: IndexExpr, s: Scope): Val {
  const obj = evalExpr(e.object, s);
  const idx = evalExpr(e.index, s);
  if (obj.t === 'poison' || idx.t === 'poison') return POISON;
  if (obj.t !== 'tuple' && obj.t !== 'list') return expected(s, e.object.span, 'a tuple or list', obj);
  if (idx.t === 'dim') return reportSymbolic(s, e.index.span, 'an index', idx.d);
  if (idx.t !== 'int') return expected(s, e.index.span, 'an int index', idx);
  return element(obj.items, idx.v, obj.t, e.index.span, s);
}

function element(items: Scalar[], i: number, what: string, span: Span, s: Scope): Val {
  const j = i < 0 ? items.length + i : i;
  const item = items[j];
  if (item === undefined) {
    s.elab.report(diag('NET1032', span, { index: i, what, length: items.length }, { instances: s.frame.instances }));
    return POISON;
  }
  return item;
}

function evalBinary(e: BinaryExpr, s: Scope): Val {
  if (e.op === 'and' || e.op === 'or') {
    const l = evalCondition(e.left, s);
    if (l === undefined) return POISON;
    if (e.op === 'and' ? !l : l) return { t: 'bool', v: l };
    const r = evalCondition(e.right, s);
    return r === undefined ? POISON : { t: 'bool', v: r };
  }
  const l = evalExpr(e.left, s);
  const r = evalExpr(e.right, s);
  if (l.t === 'poison' || r.t === 'poison') return POISON;
  if (l.t === 'tensor' || r.t === 'tensor' || l.t === 'outputs' || r.t === 'outputs') {
    return evalTensorBinary(e, l, r, s);
  }
  return scalarBinary(e.op, l as Scalar, r as Scalar, e.opSpan, s);
}

const pyMod = (a: number, b: number): number => a - b * Math.floor(a / b);

function typeName(v: Scalar): string {
  return v.t === 'dim' ? 'a dimension' : v.t === 'int' ? 'an int' : `a ${v.t}`;
}

export function scalarBinary(op: BinaryExpr['op'], l: Scalar, r: Scalar, span: Span, s: Scope): Val {
  const fail = (): Val => {
    s.elab.report(diag('NET1030', span, { op, left: describeVal(l), right: describeVal(r) }, { instances: s.frame.instances }));
    return POISON;
  };
  if (op === '==' || op === '!=') {
    const eq = scalarEquals(l, r);
    if (eq === undefined) {
      const sym = symbolicIn(l) ?? symbolicIn(r);
      return sym && comparable(l) && comparable(r) ? reportSymbolic(s, span, `the comparison ${op}`, sym) : fail();
    }
    return { t: 'bool', v: op === '==' ? eq : !eq };
  }
  const numeric = (v: Scalar) => v.t === 'int' || v.t === 'float' || v.t === 'dim';
  if (!numeric(l) || !numeric(r)) {
    if (op === '+' && l.t === 'string' && r.t === 'string') return { t: 'string', v: l.v + r.v };
    return fail();
  }
  if (l.t === 'dim' || r.t === 'dim') return dimBinary(op, l, r, span, s, fail);
  const a = (l as { v: number }).v;
  const b = (r as { v: number }).v;
  const isInt = l.t === 'int' && r.t === 'int';
  if ((op === '/' || op === '//' || op === '%') && b === 0) {
    s.elab.report(diag('NET1031', span, {}, { instances: s.frame.instances }));
    return POISON;
  }
  const num = (v: number, asInt: boolean): Scalar => (asInt ? { t: 'int', v } : { t: 'float', v });
  switch (op) {
    case '+': return num(a + b, isInt);
    case '-': return num(a - b, isInt);
    case '*': return num(a * b, isInt);
    case '/': return num(a / b, false);
    case '//': return num(Math.floor(a / b), isInt);
    case '%': return num(pyMod(a, b), isInt);
    case '<': return { t: 'bool', v: a < b };
    case '<=': return { t: 'bool', v: a <= b };
    case '>': return { t: 'bool', v: a > b };
    case '>=': return { t: 'bool', v: a >= b };
    default: return fail();
  }
}

/**
 * A symbolic dimension where a known integer is needed (a condition, a repeat count, an
 * index, a divisor): NET1044, suggesting to bind the size.
 */
export function reportSymbolic(s: Scope, span: Span, use: string, d: Dim): Val {
  const text = dimToString(d);
  const symbol = /[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? 'N';
  s.elab.report(diag('NET1044', span, { use, dim: text }, {
    instances: s.frame.instances,
    notes: ['sizes of a network input stay symbolic unless they are bound'],
    help: `bind the size with --bind, e.g. --bind ${symbol}=...`,
  }));
  return POISON;
}

function dimBinary(op: BinaryExpr['op'], l: Scalar, r: Scalar, span: Span, s: Scope, fail: () => Val): Val {
  const sym = l.t === 'dim' ? l.d : (r as { d: Dim }).d;
  if (l.t === 'float' || r.t === 'float') {
    if (!['+', '-', '*', '/', '<', '<=', '>', '>='].includes(op)) return fail();
    return reportSymbolic(s, span, `operator ${op} with a float`, sym);
  }
  const ld: Dim = l.t === 'dim' ? l.d : dimConst((l as { v: number }).v);
  const rd: Dim = r.t === 'dim' ? r.d : dimConst((r as { v: number }).v);
  const divisor = r.t === 'int' ? r.v : undefined;
  switch (op) {
    case '+': return dimScalar(dimAdd(ld, rd));
    case '-': return dimScalar(dimSub(ld, rd));
    case '*': return dimScalar(dimMul(ld, rd));
    case '/': case '//': case '%':
      if (divisor === undefined) return reportSymbolic(s, span, `the divisor of ${op === '//' ? 'div' : op}`, rd);
      if (divisor === 0) {
        s.elab.report(diag('NET1031', span, {}, { instances: s.frame.instances }));
        return POISON;
      }
      if (divisor < 0) return fail();
      if (op === '%') return dimScalar(dimSub(ld, dimMul(dimFloorDiv(ld, divisor), divisor)));
      return dimScalar(op === '/' ? dimExactDiv(ld, divisor) : dimFloorDiv(ld, divisor));
    default: {
      // Comparisons of symbolic sizes are decided only when the sizes are known.
      const c = compareDims(ld, rd);
      if (c.kind === 'equal' && (op === '<=' || op === '>=')) return { t: 'bool', v: true };
      if (c.kind === 'equal' && (op === '<' || op === '>')) return { t: 'bool', v: false };
      return reportSymbolic(s, span, `the comparison ${op}`, sym);
    }
  }
}

/** The first symbolic dimension inside a scalar (itself, or an element of a tuple or list). */
function symbolicIn(v: Scalar): Dim | undefined {
  if (v.t === 'dim') return v.d;
  if (v.t === 'tuple' || v.t === 'list') {
    for (const item of v.items) {
      const d = symbolicIn(item);
      if (d) return d;
    }
  }
  return undefined;
}

/** Whether == may compare the value with a number or a dimension (not a string or a bool). */
function comparable(v: Scalar): boolean {
  if (v.t === 'tuple' || v.t === 'list') return v.items.every(comparable);
  return v.t === 'int' || v.t === 'dim';
}

/** Structural equality of scalars; undefined when the two cannot be compared. */
function scalarEquals(l: Scalar, r: Scalar): boolean | undefined {
  const isNum = (v: Scalar) => v.t === 'int' || v.t === 'float';
  if (isNum(l) && isNum(r)) return (l as { v: number }).v === (r as { v: number }).v;
  if (l.t === 'dim' || r.t === 'dim') {
    if (l.t === 'float' || r.t === 'float' || !(l.t === 'dim' || l.t === 'int') || !(r.t === 'dim' || r.t === 'int')) return undefined;
    const c = compareDims(l.t === 'dim' ? l.d : dimConst(l.v), r.t === 'dim' ? r.d : dimConst((r as { v: number }).v));
    if (c.kind === 'equal') return true;
    if (c.kind === 'unequal' && /^they (differ|are never)/.test(c.reason ?? '')) return false;
    return undefined;
  }
  if (l.t !== r.t) return false;
  if (l.t === 'tuple' || l.t === 'list') {
    const ri = (r as { items: Scalar[] }).items;
    if (l.items.length !== ri.length) return false;
    for (let i = 0; i < ri.length; i++) {
      const eq = scalarEquals(l.items[i]!, ri[i]!);
      if (eq !== true) return eq;
    }
    return true;
  }
  return (l as { v: unknown }).v === (r as { v: unknown }).v;
}

export { typeName };
export type { TensorVal };
