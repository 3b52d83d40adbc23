/**
 * Binding every dimension of a checked graph to an integer: `Graph<Dim>` -> `Graph<number>`,
 * the form passes, the interpreter and the backends work on. A symbol without a value, a
 * size that is not an integer (an exact division that does not divide: a violated
 * requirement), a size below 1 or one beyond 2^31 - 1 is a diagnostic at the node that
 * produced it.
 *
 * Requirements the checker accepted while sizes were free ("H must be divisible by 2" for a
 * concat of H with 2*floor(H/2)) are checked by running every operator's shape rule again
 * on the concrete input sizes: a violation is reported by the operator itself, at its call.
 */
import { diag } from '../diag/make.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { constValue, dimConst, dimSymbols, dimToString, evalDim, integralityRequirement, type Dim } from '../check/dim.ts';
import { OPS } from '../ops/registry.ts';
import type { OpContext, OpDef } from '../ops/types.ts';
import { LIMITS } from '../check/limits.ts';
import { syntheticSpan, type Span } from '../syntax/span.ts';
import type { Graph, Node, ParamRef, Value } from './graph.ts';

export interface ConcretizeResult {
  graph?: Graph<number>;
  diagnostics: Diagnostic[];
}

export function concretize(graph: Graph<Dim>, bindings: ReadonlyMap<string, number>): ConcretizeResult {
  const diagnostics: Diagnostic[] = [];
  const reportedSymbols = new Set<string>();
  const where = (v: Value<Dim>): { span: Span; node?: Node<Dim> } => {
    const node = v.producer !== undefined ? graph.nodes[v.producer] : undefined;
    return { span: node?.span ?? v.span ?? syntheticSpan(), node };
  };
  const bindShape = (shape: readonly Dim[], span: Span, node: Node<Dim> | undefined, what: string): number[] | undefined => {
    const out: number[] = [];
    let ok = true;
    const instances = node?.instances ?? [];
    for (const d of shape) {
      const missing = dimSymbols(d).filter((s) => !bindings.has(s));
      if (missing.length > 0) {
        ok = false;
        for (const name of missing) {
          if (reportedSymbols.has(name)) continue;
          reportedSymbols.add(name);
          diagnostics.push(diag('NET2106', span, { name }, { instances, help: `give it a value: --bind ${name}=...`, notes: [`${what} is ${shapeString(shape)}`] }));
        }
        continue;
      }
      const n = evalDim(d, bindings);
      if (n === undefined) {
        ok = false;
        // Reported once, where the size first appears.
        if (reportedSymbols.has(`=${dimToString(d)}`)) continue;
        reportedSymbols.add(`=${dimToString(d)}`);
        const req = integralityRequirement(d);
        const text = req?.text ?? `${dimToString(d)} must be an integer`;
        diagnostics.push(diag('NET2107', span, { text, detail: `with ${bindingText(d, bindings)} it is not` }, { instances }));
        continue;
      }
      if (n < 1) {
        ok = false;
        diagnostics.push(diag('NET2105', span, { what, detail: `${dimToString(d)} is ${n} with ${bindingText(d, bindings)}` }, { instances }));
        continue;
      }
      if (n > LIMITS.maxDim) {
        ok = false;
        diagnostics.push(diag('NET9005', span, { dim: n }, { instances }));
        continue;
      }
      out.push(n);
    }
    return ok ? out : undefined;
  };
  const values: Value<number>[] = [];
  let ok = true;
  for (const v of graph.values) {
    const { span, node } = where(v);
    const shape = bindShape(v.shape, span, node, node ? `the output of ${node.name}` : `input ${v.name}`);
    if (!shape) ok = false;
    values.push({ ...v, shape: shape ?? [] });
  }
  if (ok) ok = recheckShapes(graph, values, diagnostics);
  const nodes: Node<number>[] = [];
  for (const n of graph.nodes) {
    const params: Record<string, ParamRef<number>> = {};
    for (const [role, p] of Object.entries(n.params)) {
      const shape = bindShape(p.shape, n.span, n, `weight ${p.name}`);
      if (!shape) ok = false;
      params[role] = { ...p, shape: shape ?? [] };
    }
    nodes.push({ ...n, params, attrs: concreteAttrs(n, values) });
  }
  if (!ok) return { diagnostics };
  return { graph: { ...graph, values, nodes }, diagnostics };
}

/** Attributes that depend on sizes: upsample's output size is filled in once sizes are known. */
function concreteAttrs(n: Node<Dim>, values: Value<number>[]): Record<string, unknown> {
  if (n.op !== 'upsample') return n.attrs;
  const size = n.attrs.size as number[] | undefined;
  if (size && size.length > 0) return n.attrs;
  const out = values[n.outputs[0]!]!.shape;
  return { ...n.attrs, size: out.slice(2) };
}

function shapeString(shape: readonly Dim[]): string {
  return `[${shape.map(dimToString).join(', ')}]`;
}

function bindingText(d: Dim, bindings: ReadonlyMap<string, number>): string {
  const names = dimSymbols(d);
  if (names.length === 0) return `the sizes given`;
  return names.map((n) => `${n}=${bindings.get(n)}`).join(', ');
}

/** Whether a graph has only constant sizes (no binding needed). */
export function isConcrete(graph: Graph<Dim>): boolean {
  return graph.values.every((v) => v.shape.every((d) => constValue(d) !== undefined));
}

const opsByName = new Map<string, OpDef>(OPS.map((d) => [d.name, d]));

/** Run each node's shape rule on concrete sizes; a rule's report is a diagnostic at the node. */
function recheckShapes(graph: Graph<Dim>, values: Value<number>[], diagnostics: Diagnostic[]): boolean {
  let ok = true;
  for (const n of graph.nodes) {
    const def = opsByName.get(n.op);
    if (!def) continue;
    let reported = false;
    const ctx: OpContext = {
      spelledAs: n.op,
      report(code, args, extras = {}) {
        reported = true;
        diagnostics.push(diag(code, n.span, args, { ...extras, instances: n.instances }));
      },
      sameDim: (a, b) => constValue(a) !== undefined && constValue(a) === constValue(b),
      positiveDim: (d) => (constValue(d) ?? 0) >= 1,
    };
    const inputs = n.inputs.map((i) => values[i]!.shape.map((d) => dimConst(d)));
    const shape = def.shape(n.attrs, inputs, ctx);
    if (!shape || reported) {
      ok = false;
      continue;
    }
    const out = values[n.outputs[0]!]!;
    const concrete = shape.map((d) => constValue(d));
    if (concrete.some((c, i) => c !== out.shape[i])) {
      diagnostics.push(diag('NET2107', n.span, {
        text: `the output of ${n.name} must be ${shapeString(out.shape.map((d) => dimConst(d)))}`,
        detail: `with these sizes it is ${shapeString(shape)}`,
      }, { instances: n.instances }));
      ok = false;
    }
  }
  return ok;
}
