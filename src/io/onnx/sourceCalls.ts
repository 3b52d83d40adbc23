/**
 * One IR node -> the operator call that the checker turns back into the same node: the
 * spelling, and the arguments whose normalisation gives the node's attributes (defaults left
 * out, per-axis values collapsed to one number when they agree). The operator table's `call`
 * (the inverse of its attribute normalisation) gives the call; this file prints it.
 */
import type { Graph, Node } from '../../ir/graph.ts';
import { CallProblem, type ArgValue, type OpCall } from '../../ops/call.ts';
import { opByName } from '../../ops/registry.ts';

export type { ArgValue, CallArg, OpCall } from '../../ops/call.ts';

export class SourceProblem extends Error {}

/** The shortest decimal that reads back to the same float32 (eps 1e-5 stored as float32 prints as 0.00001). */
export function formatFloat(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const f = Math.fround(x);
  for (let p = 1; p <= 17; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(x);
}

export function formatArg(v: ArgValue): string {
  switch (v.type) {
    case 'int': return String(v.v);
    case 'float': return formatFloat(v.v);
    case 'bool': return v.v ? 'true' : 'false';
    case 'string': return JSON.stringify(v.v);
    case 'ints':
    case 'floats': {
      const items = v.v.map((x) => (v.type === 'ints' ? String(x) : formatFloat(x)));
      if (items.every((s) => s === items[0])) return items[0]!;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
  }
}

/** The call for a single-input node; multi-input nodes (add, mul, concat) are written by the caller. */
export function opCall(n: Node<number>, graph: Graph<number>): OpCall {
  const call = opByName(n.op).call;
  if (!call) throw new SourceProblem(`operator ${n.op} (${n.name}) has no spelling in the language`);
  try {
    return call(n.attrs, n.inputs.map((v) => graph.values[v]!.shape));
  } catch (e) {
    if (e instanceof CallProblem) throw new SourceProblem(`${n.name} ${e.message}`);
    throw e;
  }
}
