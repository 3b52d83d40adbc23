/**
 * Instantiating a network: its parameters take their defaults, its inputs become graph
 * inputs whose sizes are integers, bound symbols (`--bind H=224`) or free symbols, and its
 * outputs become graph outputs.
 */
import type { BlockDecl } from '../syntax/ast.ts';
import { diag } from '../diag/make.ts';
import type { Graph } from '../ir/graph.ts';
import { constApprox, constValue, dimConst, dimSym, dimToString, type Dim } from '../ir/dim/dim.ts';
import { Elab, Env, LimitExceeded, Namespace, type Scope } from './context.ts';
import { lookupTop, type ModuleInfo } from './modules.ts';
import { inputDependentParams, inputSizeNames } from './params.ts';
import { bindDefault, inDecls, recordHover, runStatements } from './block.ts';
import { checkDtype, evalDimExpr } from './dims.ts';
import { LIMITS } from '../ir/limits.ts';
import { dimScalar, type TensorVal } from './values.ts';

/** Build the graph of one network; undefined when a limit stopped it. */
export function instantiateNetwork(decl: BlockDecl, mod: ModuleInfo, elab: Elab): Graph<Dim> | undefined {
  const s: Scope = {
    elab,
    env: new Env(),
    naming: { ns: new Namespace('') },
    depth: 0,
    frame: { mod, block: decl, instances: [], blockStack: [decl], path: '' },
  };
  try {
    let ok = true;
    // Defaults that use the sizes of the inputs are evaluated once the inputs exist.
    const dependent = inputDependentParams(decl, (n) => lookupTop(elab.prog, mod, n)?.kind === 'const');
    for (const p of decl.params) {
      if (!p.default) {
        ok = false; // reported by resolve.ts
        continue;
      }
      if (!dependent.has(p.name.name) && !bindDefault(p, s, decl.name.name)) ok = false;
    }
    const sizing = inputSizeNames(decl);
    if (!ok || [...dependent].some((n) => sizing.has(n))) return elab.graph;
    for (const d of inDecls(decl)) {
      checkDtype(d, s);
      const symbols = new Map<string, Dim>();
      const free = (name: string): Dim => {
        const known = symbols.get(name);
        if (known) return known;
        const bound = elab.bindings.get(name);
        if (bound !== undefined) elab.usedBindings.add(name);
        const dim = bound !== undefined ? dimConst(bound) : dimSym(name);
        symbols.set(name, dim);
        return dim;
      };
      const shape: Dim[] = [];
      let valid = true;
      for (const e of d.type.dims) {
        const dim = evalDimExpr(e, s, free);
        if (!dim) {
          valid = false;
          continue;
        }
        const c = constValue(dim);
        // constApprox also sees constants beyond 2^53, for which constValue is undefined.
        const big = constApprox(dim);
        if (dim.invalid || (big !== undefined && big > LIMITS.maxDim)) {
          elab.report(diag('NET9005', e.span, { dim: c ?? dimToString(dim) }));
          valid = false;
        } else if (big !== undefined && big < 1) {
          elab.report(diag('NET2105', e.span, { what: `a size of input ${d.name.name}`, detail: `it is ${c ?? dimToString(dim)}` }));
          valid = false;
        } else if (big !== undefined && c === undefined) {
          // A constant that is not an integer (`[7/2, ...]`): no size can satisfy it.
          elab.report(diag('NET2107', e.span, { text: `${dimToString(dim)} must be an integer`, detail: `it is ${big}` }));
          valid = false;
        }
        shape.push(dim);
      }
      for (const [name, dim] of symbols) if (!s.env.has(name)) s.env.set(name, dimScalar(dim));
      if (!valid) return elab.graph;
      const value = elab.addValue(d.name.name, shape, d.name.span);
      elab.namedValues.add(value.id);
      elab.graph.inputs.push({ name: d.name.name, value: value.id });
      const t: TensorVal = { t: 'tensor', id: value.id, shape, span: d.span, origin: `input ${d.name.name}` };
      s.env.set(d.name.name, t);
      recordHover(s, d.name.span, d.name.name, t);
    }
    for (const p of decl.params) if (dependent.has(p.name.name) && !bindDefault(p, s, decl.name.name)) ok = false;
    if (!ok) return elab.graph;
    const result = runStatements(decl.body, s);
    const outs = decl.body.filter((st) => st.kind === 'OutDecl');
    if (result.t === 'tensor') {
      const name = outs.length === 1 && outs[0]!.kind === 'OutDecl' ? outs[0]!.name?.name ?? 'output' : 'output';
      elab.graph.outputs.push({ name, value: result.id });
    } else if (result.t === 'outputs') {
      for (const [name, t] of result.outputs) elab.graph.outputs.push({ name, value: t.id });
    }
    return elab.graph;
  } catch (e) {
    if (e instanceof LimitExceeded) return undefined;
    throw e;
  }
}
