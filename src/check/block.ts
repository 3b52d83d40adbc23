/**
 * Block instances: binding a call's arguments to the block's parameters and inputs,
 * solving the dimension variables of its `in` declarations, and running its statements
 * (named values, annotations, outputs) in a fresh scope whose instance chain records the call.
 */
import type { BlockDecl, Expr, InDecl, ParamDecl, Stmt, TensorType } from '../syntax/ast.ts';
import type { Span } from '../diag/span.ts';
import type { Diagnostic, InstanceFrame } from '../diag/diagnostic.ts';
import { diag } from '../diag/make.ts';
import { compareDims, constValue, dimAssuming, dimSymbols, dimToString, type Dim } from '../ir/dim/dim.ts';
import { Env, Namespace, type Scope } from './context.ts';
import { lookupTop, type ModuleInfo } from './modules.ts';
import { inputDependentParams, inputSizeNames } from './params.ts';
import type { EvaluatedArgs } from './args.ts';
import type { CallSite } from './calls.ts';
import { evalExpr } from './expr.ts';
import { dimExprText, evalDimExpr, unifyInputs } from './dims.ts';
import { operandRelated } from './opcall.ts';
import { conformTo, typeText } from './types.ts';
import { didYouMeanFix } from './suggest.ts';
import type { CallText } from './fixes.ts';
import type { ParamFixes } from './dims.ts';
import { POISON, describeVal, isScalar, scalarText, shapeText, type Scalar, type TensorVal, type Val } from './values.ts';

export function inDecls(decl: BlockDecl): InDecl[] {
  return decl.body.filter((st): st is InDecl => st.kind === 'InDecl');
}

/**
 * Instantiate a block. `fullName` is the namespace of the instance; an inline call (`_:`)
 * passes none: the block's layers are named in the caller's namespace, and no instance frame
 * is added (its nodes belong to the enclosing instance).
 */
export function callBlock(decl: BlockDecl, mod: ModuleInfo, ev: EvaluatedArgs, site: CallSite, fullName: string | undefined, s: Scope): Val {
  const inst = { instances: s.frame.instances };
  const callee = decl.name.name;
  if (s.frame.blockStack.includes(decl)) {
    const chain = [...s.frame.blockStack.slice(s.frame.blockStack.indexOf(decl)).map((b) => b.name.name), callee].join(' -> ');
    s.elab.report(diag('NET1025', site.span, { name: callee, chain }, inst));
    return POISON;
  }
  if (s.frame.instances.length >= s.elab.limits.instanceDepth) {
    s.elab.report(diag('NET9001', site.span, { limit: s.elab.limits.instanceDepth }, inst));
    return POISON;
  }
  let ok = !ev.failed;
  const ins = inDecls(decl);
  const given = new Map<string, { value: Scalar; span: Span }>();
  // Where each parameter's value is written, for fixes that change it (in_c=256).
  const valueSpans = new Map<string, Span>();
  ev.positional.forEach((p, i) => {
    const param = decl.params[i];
    if (!param) {
      s.elab.report(diag('NET1014', p.span, { callee, max: decl.params.length, got: ev.positional.length }, inst));
      ok = false;
      return;
    }
    given.set(param.name.name, p);
    valueSpans.set(param.name.name, p.span);
  });
  const namedInputs = new Map<string, TensorVal>();
  for (const n of ev.named) {
    const name = n.name.name;
    const param = decl.params.find((p) => p.name.name === name);
    if (!param) {
      if (n.value.t === 'tensor' && ins.some((d) => d.name.name === name) && !namedInputs.has(name)) {
        namedInputs.set(name, n.value);
        continue;
      }
      const close = didYouMeanFix(name, [...decl.params.map((p) => p.name.name), ...ins.map((d) => d.name.name)], n.name.span);
      s.elab.report(diag('NET1011', n.name.span, { callee, name }, {
        ...inst, ...close,
        help: close.help ?? `its parameters are ${decl.params.map((p) => p.name.name).join(', ') || '(none)'}`,
      }));
      ok = false;
      continue;
    }
    if (given.has(name)) {
      s.elab.report(diag('NET1012', n.span, { name, callee }, { ...inst, related: [{ span: given.get(name)!.span, message: 'first given here' }] }));
      ok = false;
      continue;
    }
    if (!isScalar(n.value)) {
      s.elab.report(diag('NET1013', n.span, { name, callee, expected: typeText(param.type), got: describeVal(n.value) }, inst));
      ok = false;
      continue;
    }
    given.set(name, { value: n.value, span: n.span });
    valueSpans.set(name, n.valueSpan);
  }
  const positional = [...ev.inputs];
  const inputs: TensorVal[] = [];
  for (const d of ins) {
    const t = namedInputs.get(d.name.name) ?? positional.shift();
    if (t) inputs.push(t);
  }
  if (inputs.length !== ins.length || positional.length > 0) {
    if (!ev.failed) s.elab.report(diag('NET1015', site.span, { callee, expected: ins.length, got: ev.inputs.length + namedInputs.size }, inst));
    return POISON;
  }
  const cs: Scope = {
    elab: s.elab,
    env: new Env(),
    naming: { ns: fullName === undefined ? s.naming.ns : new Namespace(fullName) },
    depth: 0,
    frame: {
      mod,
      block: decl,
      instances: fullName === undefined
        ? s.frame.instances
        : [{ instance: fullName, callee: site.hasArgs ? `${callee}(...)` : callee, span: site.span, args: valueSpans }, ...s.frame.instances],
      blockStack: [...s.frame.blockStack, decl],
      path: fullName ?? s.naming.ns.path,
      inlinedAt: fullName === undefined ? site.span : undefined,
    },
  };
  let dependent = s.elab.dependentParams.get(decl);
  if (!dependent) {
    dependent = inputDependentParams(decl, (n) => lookupTop(s.elab.prog, mod, n)?.kind === 'const');
    s.elab.dependentParams.set(decl, dependent);
  }
  const afterInputs: ParamDecl[] = [];
  for (const param of decl.params) {
    const pname = param.name.name;
    const g = given.get(pname);
    if (g) {
      const v = conformTo(g.value, param.type);
      if (!v) {
        s.elab.report(diag('NET1013', g.span, { name: pname, callee, expected: typeText(param.type), got: describeVal(g.value) }, inst));
        ok = false;
        continue;
      }
      cs.env.set(pname, v);
      recordHover(cs, param.name.span, pname, v);
    } else if (param.default && dependent.has(pname)) {
      afterInputs.push(param);
    } else if (param.default) {
      if (!bindDefault(param, cs, callee)) ok = false;
    } else if (!ev.failed) {
      s.elab.report(diag('NET1010', site.span, { callee, name: pname }, {
        ...inst, help: `${callee}(${decl.params.map((p) => (p.default ? `${p.name.name}=...` : p.name.name)).join(', ')})`,
      }));
      ok = false;
    } else ok = false;
  }
  if (!ok) return POISON;
  // A default computed from the input sizes cannot size an input itself (NET1046, from resolve.ts).
  const sizing = inputSizeNames(decl);
  if (afterInputs.some((p) => sizing.has(p.name.name))) return POISON;
  const call: CallText = { span: site.span, argsSpan: site.argsSpan, argCount: site.args.length, valueSpans };
  const reported = s.elab.diags.length;
  const result = instantiateBody(decl, ins, inputs, cs, site.span, callee, afterInputs, { call, params: new Set(decl.params.map((p) => p.name.name)) });
  if (fullName === undefined) markInlineCall(s.elab.diags, reported, { instance: '_', callee: `${callee}(...)`, span: site.span, args: valueSpans }, s.frame.instances.length);
  return result;
}

/**
 * A call without a namespace (`_: Block(...)`) adds no instance frame: its layers belong to
 * the caller's instance. Its diagnostics still need the call, to be reported there when the
 * block is in another file (relocate.ts): it is put into their chain, after their own frames
 * inside the block and before the `outer` frames of the caller.
 */
function markInlineCall(diags: readonly Diagnostic[], from: number, frame: InstanceFrame, outer: number): void {
  for (let i = from; i < diags.length; i++) {
    const d = diags[i]!;
    const at = d.instances.length - outer;
    if (at < 0) continue;
    d.instances = [...d.instances.slice(0, at), frame, ...d.instances.slice(at)];
  }
}

/** A parameter's default, evaluated in the block's own scope (earlier parameters visible). */
export function bindDefault(param: ParamDecl, cs: Scope, callee: string): boolean {
  const dv = evalExpr(param.default!, cs);
  if (dv.t === 'poison') return false;
  const v = isScalar(dv) ? conformTo(dv, param.type) : undefined;
  if (!v) {
    cs.elab.report(diag('NET1013', param.default!.span, { name: param.name.name, callee, expected: typeText(param.type), got: describeVal(dv) }));
    return false;
  }
  cs.env.set(param.name.name, v);
  cs.elab.hovers?.push({ span: param.name.span, name: param.name.name, network: cs.elab.networkName, instance: cs.frame.path, scalar: scalarText(v) });
  return true;
}

function instantiateBody(
  decl: BlockDecl, ins: InDecl[], inputs: TensorVal[], cs: Scope, callSpan: Span, callee: string, afterInputs: readonly ParamDecl[],
  params?: ParamFixes,
): Val {
  if (!unifyInputs(ins, inputs, callee, callSpan, cs, params)) return POISON;
  let ok = true;
  for (const param of afterInputs) if (!bindDefault(param, cs, callee)) ok = false;
  if (!ok) return POISON;
  ins.forEach((d, i) => {
    const { singleOutput: _, ...input } = inputs[i]!;
    cs.env.set(d.name.name, input);
    recordHover(cs, d.name.span, d.name.name, inputs[i]!);
  });
  return runStatements(decl.body, cs);
}

export function recordHover(s: Scope, span: Span, name: string, v: Val): void {
  if (!s.elab.hovers) return;
  if (v.t === 'tensor') s.elab.hovers.push({ span, name, network: s.elab.networkName, instance: s.frame.path, shape: v.shape });
  else if (isScalar(v)) s.elab.hovers.push({ span, name, network: s.elab.networkName, instance: s.frame.path, scalar: scalarText(v) });
}

/** Run the statements after the inputs; the block's result (one tensor, or its named outputs). */
export function runStatements(body: readonly Stmt[], s: Scope): Val {
  const outs: { name?: string; value: Val; span: Span }[] = [];
  for (const st of body) {
    if (st.kind === 'InDecl') continue;
    s.elab.step(st.span);
    const reported = s.elab.diags.length;
    let v = evalExpr(st.value, s);
    // A statement the parser repaired that does not check is the syntax error's effect: its
    // diagnostics are dropped (damaged.ts) and its value is an error's, so the rest is quiet.
    if (s.elab.damaged.has(st) && s.elab.diags.length > reported) v = POISON;
    // A value that contradicts its annotation is not used further: one mistake, one error.
    if (st.type && !checkAnnotation(st.type, v, st.name?.name ?? 'the output', st.value.span, s)) v = POISON;
    if (st.name) {
      s.env.set(st.name.name, v);
      if (v.t === 'tensor' && !s.elab.namedValues.has(v.id)) {
        s.elab.namedValues.add(v.id);
        s.elab.graph.values[v.id]!.name = s.frame.path === '' ? st.name.name : `${s.frame.path}.${st.name.name}`;
      }
      recordHover(s, st.name.span, st.name.name, v);
    }
    if (st.kind === 'OutDecl') outs.push({ name: st.name?.name, value: v, span: st.span });
  }
  if (outs.length === 0) return POISON;
  if (outs.length === 1) {
    const v0 = outs[0]!.value;
    // Seen from the caller, the result was produced by the call, not by the block's last
    // line: "this operand (layer1 = BasicBlock) ..., produced here" points at the call.
    const callSpan = s.frame.inlinedAt ?? s.frame.instances[0]?.span;
    const v: Val = v0.t === 'tensor' && callSpan !== undefined
      ? { ...v0, span: callSpan, origin: `${s.frame.inlinedAt ? '' : `${s.frame.instances[0]!.instance} = `}${s.frame.block.name.name}` }
      : v0;
    // One output, named or not, is the call's value: a tensor, not a record of one.
    const name = outs[0]!.name;
    if (v.t === 'tensor' && name !== undefined) return { ...v, singleOutput: { callee: s.frame.block.name.name, name } };
    if (v.t === 'tensor' || v.t === 'outputs' || v.t === 'poison') return v;
    s.elab.report(diag('NET1016', outs[0]!.span, { got: describeVal(v) }, { instances: s.frame.instances }));
    return POISON;
  }
  const outputs = new Map<string, TensorVal>();
  for (const o of outs) {
    if (o.value.t === 'poison') return POISON;
    if (o.value.t !== 'tensor') {
      s.elab.report(diag('NET1016', o.span, { got: describeVal(o.value) }, { instances: s.frame.instances }));
      return POISON;
    }
    if (o.name !== undefined) outputs.set(o.name, o.value);
  }
  return { t: 'outputs', callee: s.frame.block.name.name, outputs, span: s.frame.instances[0]?.span ?? s.frame.block.span };
}

/** The values of the names a size expression uses: `D = 5, c = 512`. */
function valuesIn(e: Expr, s: Scope): string {
  const names = new Set<string>();
  const walk = (x: Expr): void => {
    if (x.kind === 'NameRef') names.add(x.name);
    else if (x.kind === 'BinaryExpr') { walk(x.left); walk(x.right); }
    else if (x.kind === 'ParenExpr') walk(x.expr);
    else if (x.kind === 'UnaryExpr') walk(x.operand);
  };
  walk(e);
  return [...names].map((n) => {
    const v = s.env.get(n);
    return `${n} = ${v && isScalar(v) ? scalarText(v) : '?'}`;
  }).join(', ');
}

/** `y: [N, 64, H, W] = expr`: the inferred shape must equal the annotation. */
function checkAnnotation(type: TensorType, v: Val, name: string, valueSpan: Span, s: Scope): boolean {
  if (v.t === 'poison') return true;
  if (v.t !== 'tensor') {
    s.elab.report(diag('NET1016', valueSpan, { got: describeVal(v) }, { instances: s.frame.instances }));
    return false;
  }
  if (type.dtype && type.dtype.name !== 'f32') s.elab.report(diag('NET1036', type.dtype.span, { dtype: type.dtype.name }));
  const want: Dim[] = [];
  for (const e of type.dims) {
    const d = evalDimExpr(e, s);
    if (!d) return true;
    want.push(d);
  }
  let equal = want.length === v.shape.length;
  const reqs = [];
  for (let i = 0; equal && i < want.length; i++) {
    const c = compareDims(v.shape[i]!, want[i]!);
    if (c.kind === 'unequal') equal = false;
    else if (c.kind === 'requires') reqs.push(...c.requirements);
  }
  if (!equal) {
    // The annotation as written; the inferred shape in the same words on the axes where they agree.
    const written = type.dims.map(dimExprText);
    const assume = s.elab.requirements.assumptions();
    const got = v.shape.map((d, i) =>
      constValue(d) === undefined && want[i] !== undefined && compareDims(d, want[i]!).kind !== 'unequal'
        ? written[i]!
        : dimToString(dimAssuming(d, assume)));
    const notes: string[] = [];
    type.dims.forEach((e, i) => {
      const w = want[i]!;
      if (constValue(w) === undefined && dimSymbols(w).length === 0) {
        notes.push(`${written[i]} is not a whole number here (${valuesIn(e, s)})`);
      }
    });
    s.elab.report(diag('NET2101', type.span, { name, got: `[${got.join(', ')}]`, expected: `[${written.join(', ')}]` }, {
      related: operandRelated([v]),
      notes,
      instances: s.frame.instances,
    }));
    return false;
  }
  if (reqs.length > 0) s.elab.requirements.addDivisibility(reqs, type.span, s.frame.instances);
  return true;
}
