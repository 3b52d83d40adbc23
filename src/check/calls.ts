/**
 * Calls: an operator or a block applied to tensors, from a call expression
 * (`concat(a, b, axis=1)`), a pipeline stage (`x |> conv(64, k=3)`) or a tensor operator
 * (`a + b` is add(a, b)). Decides the instance name and hands over to opcall.ts or block.ts.
 */
import type { Arg, BinaryExpr, CallExpr, Ident, PipeExpr, Stage } from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import { lookupOp, opByInfix } from '../ops/registry.ts';
import type { Scope } from './context.ts';
import { lookupTop } from './modules.ts';
import { bindOpArgs, evaluateArgs } from './args.ts';
import { callOp } from './opcall.ts';
import { callBlock } from './block.ts';
import { applyStages } from './pipeline.ts';
import { evalExpr } from './expr.ts';
import { POISON, describeVal, type TensorVal, type Val } from './values.ts';

export interface CallSite {
  callee: Ident;
  args: readonly Arg[];
  /** Span of the whole call or stage. */
  span: Span;
  /** Whether the call was written with parentheses (for instance descriptions). */
  hasArgs: boolean;
  /** `( ... )` with the parentheses, when written (edits that add an argument). */
  argsSpan?: Span;
  piped?: TensorVal;
  /** Explicit local instance name (a label, a seq index, a repeat iteration). */
  local?: string;
  /** Span to claim the explicit name at (the label). */
  localSpan?: Span;
  /** Labelled `_`: a block call that opens no namespace (its layers are named in the caller's). */
  inline?: boolean;
}

export function callCallee(site: CallSite, s: Scope): Val {
  const name = site.callee.name;
  const found = lookupOp(name);
  if (found && site.inline) {
    s.elab.report(diag('NET1045', site.localSpan ?? site.span, { what: `the operator ${name}` }, { instances: s.frame.instances }));
    return POISON;
  }
  if (found) {
    const ev = evaluateArgs(site.args, site.piped, name, s);
    const { def } = found;
    const n = ev.inputs.length;
    if (ev.failed || ev.poisonedInput) {
      bindOpArgs(def, name, ev, site.span, s);
      return POISON;
    }
    if (n < def.inputs.min || n > def.inputs.max) {
      const expected = def.inputs.min === def.inputs.max ? String(def.inputs.min)
        : def.inputs.max >= 1000 ? `at least ${def.inputs.min}` : `${def.inputs.min} to ${def.inputs.max}`;
      s.elab.report(diag('NET1015', site.span, { callee: name, expected, got: n }, { instances: s.frame.instances }));
      return POISON;
    }
    const bound = bindOpArgs(def, name, ev, site.span, s);
    if (!bound) return POISON;
    const local = site.local ?? (def.autoName !== undefined ? s.naming.ns.next(def.autoName) : undefined);
    if (local !== undefined) s.naming.ns.claim(local, site.localSpan ?? site.span, s.elab, s.frame.instances, s.frame.inlinedAt);
    const full = local !== undefined ? s.naming.ns.full(local) : s.naming.ns.full(s.naming.ns.next(def.name, '#'));
    const text = { span: site.span, argsSpan: site.argsSpan, argCount: site.args.length, valueSpans: bound.valueSpans };
    return callOp({
      def, spelling: found.spelling, span: site.span, argSpans: bound.spans, text, piped: site.piped !== undefined,
      inputs: ev.inputs, args: bound.args, name: full,
    }, s);
  }
  const top = lookupTop(s.elab.prog, s.frame.mod, name);
  if (top?.kind === 'block') {
    const ev = evaluateArgs(site.args, site.piped, name, s);
    // Without all its inputs a block instance cannot be checked; its own mistakes show once they are.
    if (ev.poisonedInput) return POISON;
    if (site.inline) return callBlock(top.decl, top.module, ev, site, undefined, s);
    const local = site.local ?? s.naming.ns.next(name.toLowerCase());
    s.naming.ns.claim(local, site.localSpan ?? site.span, s.elab, s.frame.instances, s.frame.inlinedAt);
    return callBlock(top.decl, top.module, ev, site, s.naming.ns.full(local), s);
  }
  return POISON; // unknown callees are reported by resolve.ts
}

export function evalCallExpr(e: CallExpr, s: Scope): Val {
  return callCallee({ callee: e.callee, args: e.args, span: e.span, hasArgs: true, argsSpan: e.argsSpan }, s);
}

export function evalPipe(e: PipeExpr, s: Scope): Val {
  const head = evalExpr(e.head, s);
  const t = asTensor(head, e.head.span, s);
  if (!t) {
    if (head.t === 'poison') checkStagesAfterError(e.stages, s);
    return POISON;
  }
  return applyStages(e.stages, t, s);
}

/**
 * The stages after a value that is the result of an error: their shapes are unknown, so the
 * errors they would derive stay quiet, but each operator call's own arguments (a missing or
 * misspelt one) are mistakes of their own and are reported.
 */
export function checkStagesAfterError(stages: readonly Stage[], s: Scope): void {
  for (const st of stages) {
    if (st.body.kind !== 'CallStage') continue;
    const found = lookupOp(st.body.callee.name);
    if (!found) continue;
    const ev = evaluateArgs(st.body.args, undefined, st.body.callee.name, s);
    bindOpArgs(found.def, st.body.callee.name, { ...ev, inputs: [] }, st.span, s);
  }
}

/** The value as a tensor, reporting when it is not one. */
export function asTensor(v: Val, span: Span, s: Scope): TensorVal | undefined {
  if (v.t === 'tensor') return v;
  if (v.t === 'poison') return undefined;
  if (v.t === 'outputs') {
    s.elab.report(diag('NET1023', span, { callee: v.callee, names: [...v.outputs.keys()].join(', ') }, { instances: s.frame.instances }));
    return undefined;
  }
  s.elab.report(diag('NET1016', span, { got: describeVal(v) }, { instances: s.frame.instances }));
  return undefined;
}

/** `a + b`, `a - b`, `a * b` and `a / b` on tensors are the operators the table gives those symbols. */
export function evalTensorBinary(e: BinaryExpr, l: Val, r: Val, s: Scope): Val {
  const def = opByInfix(e.op);
  if (!def) {
    s.elab.report(diag('NET1042', e.opSpan, { op: e.op }, { instances: s.frame.instances }));
    return POISON;
  }
  const lt = l.t === 'tensor' ? l : undefined;
  const rt = r.t === 'tensor' ? r : undefined;
  if (!lt || !rt) {
    if (l.t === 'outputs' || r.t === 'outputs') {
      asTensor(l.t === 'outputs' ? l : r, l.t === 'outputs' ? e.left.span : e.right.span, s);
      return POISON;
    }
    s.elab.report(diag('NET1030', e.opSpan, { op: e.op, left: describeVal(l), right: describeVal(r) }, { instances: s.frame.instances }));
    return POISON;
  }
  const ns = s.naming.ns;
  const full = ns.full(ns.next(def.name, '#'));
  return callOp({
    def, spelling: def.spellings[0] ?? { name: def.name }, span: e.span, argSpans: new Map(),
    text: { span: e.span, argCount: 0, valueSpans: new Map() }, piped: false, inputs: [lt, rt], args: defaultsOf(def), name: full,
  }, s);
}

function defaultsOf(def: { args: { name: string; default?: unknown }[] }): Record<string, never> {
  const out: Record<string, unknown> = {};
  for (const a of def.args) out[a.name] = a.default;
  return out as Record<string, never>;
}
