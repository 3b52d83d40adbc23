/**
 * Pipeline stages: calls, `seq { ... }`, `repeat n as i { ... }` and `if c { ... } else { ... }`,
 * with the instance names of spec/language.md "Instance names":
 * - a label names the instance; inside a seq an unlabelled stage takes its index (every
 *   stage counts, the stages of a chosen if-branch included, like nn.Sequential);
 * - a labelled repeat opens a namespace; iteration i opens namespace i inside it (or in the
 *   current namespace for an unlabelled repeat); a body of one unlabelled stage takes the
 *   namespace i itself, a longer body is named like a seq inside i;
 * - an unlabelled seq outside a seq gets an automatic name `seq1`, `seq2`, ...
 */
import type { RepeatStage, Stage } from '../syntax/ast.ts';
import { diag } from '../diag/make.ts';
import { Namespace, type Naming, type Scope } from './context.ts';
import { callCallee, checkStagesAfterError } from './calls.ts';
import { evalCondition, evalExpr, reportSymbolic } from './expr.ts';
import { POISON, describeVal, type TensorVal, type Val } from './values.ts';

export function applyStages(stages: readonly Stage[], input: TensorVal, s: Scope): Val {
  let cur: TensorVal = input;
  for (const [i, st] of stages.entries()) {
    const v = applyStage(st, cur, s);
    if (v.t !== 'tensor') {
      if (v.t === 'outputs' && st === stages[stages.length - 1]) return v;
      if (v.t === 'outputs') {
        s.elab.report(diag('NET1023', st.span, { callee: v.callee, names: [...v.outputs.keys()].join(', ') }, { instances: s.frame.instances }));
      }
      checkStagesAfterError(stages.slice(i + 1), s);
      return POISON;
    }
    cur = v;
  }
  return cur;
}

function isInlineLabel(st: Stage): boolean {
  return st.label?.kind === 'Ident' && st.label.name === '_';
}

function labelText(st: Stage): string | undefined {
  if (!st.label) return undefined;
  // A numeric label names the instance with its digits as written (`0`, `12`).
  return st.label.kind === 'Ident' ? st.label.name : st.label.raw;
}

/** Apply one stage; `override` names it (a repeat iteration) instead of its label or index. */
export function applyStage(st: Stage, input: TensorVal, s: Scope, override?: string): Val {
  s.elab.step(st.span);
  const body = st.body;
  if (body.kind === 'IfStage') {
    if (isInlineLabel(st)) {
      s.elab.report(diag('NET1045', st.label!.span, { what: 'an if' }, { instances: s.frame.instances }));
      return POISON;
    }
    const c = evalCondition(body.cond, s);
    if (c === undefined) return POISON;
    const branch = c ? body.then : body.else ?? [];
    return branch.length === 0 ? input : applyStages(branch, input, s);
  }
  let local = override ?? labelText(st);
  const seq = s.naming.seq;
  if (seq) {
    if (local === undefined) local = String(seq.next);
    seq.next++;
  }
  const localSpan = st.label?.span ?? st.span;
  // `_: Block(...)`: the block's layers are named as if its body were written here.
  const inline = override === undefined && isInlineLabel(st);
  if (inline && body.kind !== 'CallStage') {
    s.elab.report(diag('NET1045', localSpan, { what: body.kind === 'SeqStage' ? 'a seq' : 'a repeat' }, { instances: s.frame.instances }));
    return POISON;
  }
  if (st.label && !inline && local !== undefined) {
    s.elab.hovers?.push({ span: st.label.span, network: s.elab.networkName, instance: s.frame.path, instanceName: s.naming.ns.full(local) });
  }
  let result: Val;
  switch (body.kind) {
    case 'CallStage':
      result = callCallee({
        callee: body.callee, args: body.args, span: st.span, hasArgs: body.argsSpan !== undefined, argsSpan: body.argsSpan,
        piped: input, local, localSpan, inline,
      }, s);
      break;
    case 'SeqStage': {
      const name = local ?? s.naming.ns.next('seq');
      s.naming.ns.claim(name, localSpan, s.elab, s.frame.instances, s.frame.inlinedAt);
      const naming: Naming = { ns: new Namespace(s.naming.ns.full(name)), seq: { next: 0 } };
      result = applyStages(body.stages, input, { ...s, naming });
      break;
    }
    case 'RepeatStage':
      result = applyRepeat(body, input, s, local, localSpan);
      break;
  }
  if (result.t === 'tensor') {
    s.elab.hovers?.push({ span: st.span, network: s.elab.networkName, instance: s.frame.path, shape: result.shape });
  }
  return result;
}

function applyRepeat(body: RepeatStage, input: TensorVal, s: Scope, local: string | undefined, localSpan: Stage['span']): Val {
  const countVal = evalExpr(body.count, s);
  if (countVal.t === 'poison') return POISON;
  if (countVal.t === 'dim') return reportSymbolic(s, body.count.span, 'a repeat count', countVal.d);
  if (countVal.t !== 'int' || countVal.v < 0) {
    s.elab.report(diag('NET1034', body.count.span, { got: describeVal(countVal) }, { instances: s.frame.instances }));
    return POISON;
  }
  const count = countVal.v;
  if (count > s.elab.limits.repeatCount) {
    s.elab.report(diag('NET9003', body.count.span, { count, limit: s.elab.limits.repeatCount }, { instances: s.frame.instances }));
    return POISON;
  }
  let ns = s.naming.ns;
  if (local !== undefined) {
    ns.claim(local, localSpan, s.elab, s.frame.instances, s.frame.inlinedAt);
    ns = new Namespace(ns.full(local));
  }
  const single = body.stages.length === 1 && !body.stages[0]!.label && body.stages[0]!.body.kind !== 'IfStage';
  let cur: TensorVal = input;
  for (let i = 0; i < count; i++) {
    const env = s.env.child();
    if (body.index) env.set(body.index.name, { t: 'int', v: i });
    let v: Val;
    if (single) {
      v = applyStage(body.stages[0]!, cur, { ...s, env, naming: { ns } }, String(i));
    } else {
      ns.claim(String(i), body.span, s.elab, s.frame.instances, s.frame.inlinedAt);
      const naming: Naming = { ns: new Namespace(ns.full(String(i))), seq: { next: 0 } };
      v = applyStages(body.stages, cur, { ...s, env, naming });
    }
    if (v.t !== 'tensor') return POISON;
    cur = v;
  }
  return cur;
}
