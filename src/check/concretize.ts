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
import { catalogue } from '../diag/catalogue.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';
import { constApprox, constValue, dimConst, dimSymbols, dimToString, evalDim, integralityRequirement, substitute, type Dim } from '../ir/dim/dim.ts';
import { OPS } from '../ops/registry.ts';
import type { OpContext, OpDef } from '../ops/types.ts';
import { LIMITS } from '../ir/limits.ts';
import { syntheticSpan, type Span } from '../diag/span.ts';
import type { Graph, Node, ParamRef, Value } from '../ir/graph.ts';

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
    // Every unbound symbol of the shape in one diagnostic: one per input declaration.
    const unbound = [...new Set(shape.flatMap((d) => dimSymbols(d)))].filter((s) => !bindings.has(s) && !reportedSymbols.has(s));
    if (unbound.length > 0) {
      for (const name of unbound) reportedSymbols.add(name);
      const names = unbound.length === 1 ? `dimension ${unbound[0]}` : `dimensions ${unbound.slice(0, -1).join(', ')} and ${unbound[unbound.length - 1]}`;
      const help = `give ${unbound.length === 1 ? 'it a value' : 'them values'}: --bind ${unbound.map((n) => `${n}=...`).join(',')}`;
      diagnostics.push(diag('NET2106', span, { names }, { instances, help, notes: [`${what} is ${shapeString(shape)}`] }));
    }
    for (const d of shape) {
      const missing = dimSymbols(d).filter((s) => !bindings.has(s));
      if (missing.length > 0) {
        ok = false;
        continue;
      }
      // evalDim gives undefined for a size beyond 2^53 as for a fraction; the first is a
      // limit (NET9005), whether a binding is that large or the arithmetic makes it so.
      const hugeBinding = dimSymbols(d).map((s) => bindings.get(s)!).find((v) => Math.abs(v) > LIMITS.maxDim);
      const n = hugeBinding === undefined ? evalDim(d, bindings) : undefined;
      const approx = hugeBinding ?? (n === undefined ? constApprox(substitute(d, bindings)) : undefined);
      if (approx !== undefined && Math.abs(approx) > LIMITS.maxDim && Number.isInteger(approx)) {
        ok = false;
        const text = hugeBinding !== undefined ? String(hugeBinding) : dimToString(substitute(d, bindings));
        if (reportedSymbols.has(`>${text}`)) continue;
        reportedSymbols.add(`>${text}`);
        diagnostics.push(approx > 0
          ? diag('NET9005', span, { dim: text }, { instances })
          : diag('NET2105', span, { what, detail: `${dimToString(d)} is ${text} with ${bindingText(d, bindings)}` }, { instances }));
        continue;
      }
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
    nodes.push(concreteNode(n, params, values));
  }
  if (!ok) return { diagnostics };
  if (!withinMemoryLimit(graph.name, values, nodes, diagnostics)) return { diagnostics };
  return { graph: { ...graph, values, nodes }, diagnostics };
}

/** Bytes a 32-bit WebAssembly memory can hold: what any tensor, and all weights together, must fit in. */
export const MAX_TENSOR_BYTES = 2 ** 32;

/**
 * Every tensor, and the weights together, must fit in 4 GiB (NET9007): nothing larger can be
 * built, and checking here stops the interpreter and the random-weight generator from
 * allocating tens of gigabytes for a mistyped size (`conv(65536)` on 65536 channels).
 */
function withinMemoryLimit(network: string, values: Value<number>[], nodes: Node<number>[], diagnostics: Diagnostic[]): boolean {
  let ok = true;
  const bytesOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 4);
  const report = (span: Span, what: string, bytes: number, instances: Node<number>['instances'] = []) => {
    ok = false;
    diagnostics.push(diag('NET9007', span, { what, bytes }, { instances }));
  };
  for (const v of values) {
    const bytes = bytesOf(v.shape);
    if (bytes <= MAX_TENSOR_BYTES) continue;
    const node = v.producer !== undefined ? nodes[v.producer] : undefined;
    report(node?.span ?? v.span ?? syntheticSpan(), `${node ? `the output of ${node.name}` : `input ${v.name}`} [${v.shape.join(', ')}]`, bytes, node?.instances);
  }
  const seen = new Set<string>();
  let total = 0;
  let tensors = 0;
  for (const n of nodes) {
    for (const p of Object.values(n.params)) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      const bytes = bytesOf(p.shape);
      total += bytes;
      tensors++;
      if (bytes > MAX_TENSOR_BYTES) report(n.span, `weight ${p.name} [${p.shape.join(', ')}]`, bytes, n.instances);
    }
  }
  // Reported at the first input's declaration: it is a fact of the whole network.
  const at = values.find((v) => v.producer === undefined)?.span ?? nodes[0]?.span ?? syntheticSpan();
  if (ok && total > MAX_TENSOR_BYTES) report(at, `the weights of network ${network} (${tensors} tensors)`, total);
  return ok;
}

/**
 * The node with concrete weight shapes. Attributes that depend on sizes are completed:
 * upsample's output size is filled in once sizes are known.
 */
function concreteNode(n: Node<Dim>, params: Record<string, ParamRef<number>>, values: Value<number>[]): Node<number> {
  if (n.op !== 'upsample' || n.attrs.size.length > 0) return { ...n, params };
  const out = values[n.outputs[0]!]!.shape;
  return { ...n, params, attrs: { ...n.attrs, size: out.slice(2) } };
}

function shapeString(shape: readonly Dim[]): string {
  return `[${shape.map(dimToString).join(', ')}]`;
}

function bindingText(d: Dim, bindings: ReadonlyMap<string, number>): string {
  const names = dimSymbols(d);
  if (names.length === 0) return `the sizes given`;
  return names.map((n) => `${n}=${bindings.get(n)}`).join(', ');
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
        // Warnings were given when the network was checked; only errors stop concretizing.
        if (catalogue[code].severity !== 'error') return;
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
