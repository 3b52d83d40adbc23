/**
 * Binding the arguments of a call. Positional arguments that are tensors are the callee's
 * inputs, in order (after the running value of a pipeline); other positional arguments
 * bind its parameters in order; named arguments bind parameters by name (or an input by
 * its name, for blocks). Errors: NET1010 missing, NET1011 unknown, NET1012 duplicate,
 * NET1013 wrong type, NET1014 too many, NET1018 symbolic where a number is needed.
 */
import type { Arg, Ident } from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import { diag } from '../diag/make.ts';
import type { ArgSpec, ArgType, OpDef, ScalarValue } from '../ops/types.ts';
import { dimToString } from '../ir/dim/dim.ts';
import type { Scope } from './context.ts';
import { evalExpr } from './expr.ts';
import { didYouMeanFix } from './suggest.ts';
import { describeVal, isScalar, toScalarValue, type Scalar, type TensorVal, type Val } from './values.ts';

export interface EvaluatedArgs {
  /** Tensor inputs in order, the piped value first. */
  inputs: TensorVal[];
  positional: { value: Scalar; span: Span }[];
  named: { name: Ident; value: Val; span: Span; valueSpan: Span }[];
  /** Some argument failed to evaluate (already reported). */
  failed: boolean;
  /**
   * A tensor input is the result of an earlier error: the call's own arguments are still
   * checked (a missing `k` is a mistake of its own), its shapes are not.
   */
  poisonedInput?: boolean;
}

export function evaluateArgs(args: readonly Arg[], piped: TensorVal | undefined, calleeName: string, s: Scope): EvaluatedArgs {
  const out: EvaluatedArgs = { inputs: piped ? [piped] : [], positional: [], named: [], failed: false };
  for (const a of args) {
    const v = evalExpr(a.value, s);
    if (v.t === 'poison') {
      // Without a piped input, a positional argument before any scalar one is an input (the
      // scalars after it still bind); after a piped input it is a scalar that failed.
      if (!a.name && !piped && out.positional.length === 0) out.poisonedInput = true;
      else out.failed = true;
      continue;
    }
    if (a.name) {
      out.named.push({ name: a.name, value: v, span: a.span, valueSpan: a.value.span });
      continue;
    }
    if (v.t === 'tensor') out.inputs.push(v);
    else if (v.t === 'outputs') {
      s.elab.report(diag('NET1023', a.span, { callee: v.callee, names: [...v.outputs.keys()].join(', ') }, { instances: s.frame.instances }));
      out.failed = true;
    } else out.positional.push({ value: v, span: a.span });
  }
  void calleeName;
  return out;
}

function argTypeText(spec: ArgSpec): string {
  switch (spec.type) {
    case 'int': return 'an int';
    case 'float': return 'a number';
    case 'bool': return 'a bool';
    case 'string': return spec.oneOf ? `one of ${spec.oneOf.map((x) => JSON.stringify(x)).join(', ')}` : 'a string';
    case 'ints': return 'an int or a tuple of ints';
    case 'pad': return 'an int, a tuple of ints, "same" or "valid"';
    case 'floats': return 'a number or a tuple of numbers';
  }
}

const isInt = (v: Scalar) => v.t === 'int' || v.t === 'dim';
const isNum = (v: Scalar) => v.t === 'int' || v.t === 'float' || v.t === 'dim';

function fitsArgType(type: ArgType, v: Scalar, spec: ArgSpec): boolean {
  const tupleOf = (f: (x: Scalar) => boolean) => (v.t === 'tuple' || v.t === 'list') && v.items.length > 0 && v.items.every(f);
  switch (type) {
    case 'int': return isInt(v);
    case 'float': return isNum(v);
    case 'bool': return v.t === 'bool';
    case 'string': return v.t === 'string' && (!spec.oneOf || spec.oneOf.includes(v.v));
    case 'ints': return isInt(v) || tupleOf(isInt);
    case 'pad': return isInt(v) || tupleOf(isInt) || (v.t === 'string' && (v.v === 'same' || v.v === 'valid'));
    case 'floats': return isNum(v) || tupleOf(isNum);
  }
}

/** Bind an operator's scalar arguments; undefined after reporting when they do not bind. */
export function bindOpArgs(
  def: OpDef, spelled: string, ev: EvaluatedArgs, callSpan: Span, s: Scope,
): { args: Record<string, ScalarValue | undefined>; spans: Map<string, Span>; valueSpans: Map<string, Span> } | undefined {
  const inst = { instances: s.frame.instances };
  let ok = !ev.failed;
  const given = new Map<string, { value: Scalar; span: Span; valueSpan: Span }>();
  ev.positional.forEach((p, i) => {
    const spec = def.args[i];
    if (!spec) {
      s.elab.report(diag('NET1014', p.span, { callee: spelled, max: def.args.length, got: ev.positional.length }, inst));
      ok = false;
      return;
    }
    given.set(spec.name, { ...p, valueSpan: p.span });
  });
  for (const n of ev.named) {
    const spec = def.args.find((a) => a.name === n.name.name || a.aliases?.includes(n.name.name));
    if (!spec) {
      const names = def.args.flatMap((a) => [a.name, ...(a.aliases ?? [])]);
      const close = didYouMeanFix(n.name.name, names, n.name.span);
      s.elab.report(diag('NET1011', n.name.span, { callee: spelled, name: n.name.name }, {
        ...inst, ...close, help: close.help ?? `its parameters are ${def.args.map((a) => a.name).join(', ') || '(none)'}`,
      }));
      ok = false;
      continue;
    }
    if (given.has(spec.name)) {
      s.elab.report(diag('NET1012', n.span, { name: spec.name, callee: spelled }, {
        ...inst, related: [{ span: given.get(spec.name)!.span, message: 'first given here' }],
      }));
      ok = false;
      continue;
    }
    if (!isScalar(n.value)) {
      s.elab.report(diag('NET1013', n.span, { name: spec.name, callee: spelled, expected: argTypeText(spec), got: describeVal(n.value) }, inst));
      ok = false;
      continue;
    }
    given.set(spec.name, { value: n.value, span: n.span, valueSpan: n.valueSpan });
  }
  const args: Record<string, ScalarValue | undefined> = {};
  const spans = new Map<string, Span>();
  const valueSpans = new Map<string, Span>();
  for (const spec of def.args) {
    const g = given.get(spec.name);
    if (!g) {
      if (spec.default === undefined && !spec.optional && !ev.failed) {
        s.elab.report(diag('NET1010', callSpan, { callee: spelled, name: spec.name }, { ...inst, help: `${spelled}(${signature(def)})` }));
        ok = false;
      }
      args[spec.name] = spec.default;
      continue;
    }
    spans.set(spec.name, g.span);
    valueSpans.set(spec.name, g.valueSpan);
    if (!fitsArgType(spec.type, g.value, spec)) {
      s.elab.report(diag('NET1013', g.span, { name: spec.name, callee: spelled, expected: argTypeText(spec), got: describeVal(g.value) }, inst));
      ok = false;
      continue;
    }
    const sv = toScalarValue(g.value);
    if (typeof sv === 'object' && !Array.isArray(sv)) {
      s.elab.report(diag('NET1018', g.span, { name: spec.name, callee: spelled, dim: dimToString(sv.symbolic) }, {
        ...inst, help: `bind the size with --bind, e.g. --bind ${symbolHint(dimToString(sv.symbolic))}=...`,
      }));
      ok = false;
      continue;
    }
    args[spec.name] = sv;
  }
  return ok ? { args, spans, valueSpans } : undefined;
}

function symbolHint(text: string): string {
  return /[A-Za-z_][A-Za-z0-9_]*/.exec(text)?.[0] ?? 'N';
}

export function signature(def: OpDef): string {
  return def.args.map((a) => (a.default !== undefined ? `${a.name}=${JSON.stringify(a.default)}` : a.optional ? `${a.name}?` : a.name)).join(', ');
}
