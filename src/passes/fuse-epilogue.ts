/**
 * Epilogue fusion: an activation, a residual add, and the activation after that add are
 * applied by the node that produces the value, as it stores its output. Which operators can
 * host an epilogue (conv, conv_transpose) and which are activations is read from the operator
 * table (`epilogueHost`, `activation`); the epilogue itself is defined in ir/annotations.ts.
 *
 * Patterns, each exact (the same float operations in the same order):
 *   conv -> act                     =>  conv{epilogue: act}
 *   conv -> add(conv_out, r)        =>  conv{epilogue: residual}(x, r)
 *   conv{residual} -> act           =>  conv{epilogue: residual, act}
 * Conditions: the conv's output is read only by the fused node; the residual `r` has the
 * conv's output shape and is computed before the conv runs (so it can be an input of it);
 * an activation already fused ends the epilogue (nothing is added after an activation).
 */
import type { Epilogue, Graph, Node, WeightStore } from '../ir/graph.ts';
import { epilogueActivation, isActivation } from '../ops/activations.ts';
import { opByName } from '../ops/registry.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { cloneGraph, compact, replaceUses, soleUser, usersOf } from './rewrite.ts';

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export const fuseEpilogue: Pass = {
  name: 'fuse-epilogue',
  doc: 'fuse activations and residual adds into the conv that produces their operand',
  run(input: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    const graph = cloneGraph(input);
    const removed = new Set<number>();
    const position = new Map<number, number>(graph.nodes.map((n, i) => [n.id, i]));
    let activations = 0;
    let residuals = 0;
    // Iterate to a fixed point: fusing the add makes the relu after it fusable.
    for (let changed = true; changed; ) {
      changed = false;
      const users = usersOf(graph);
      for (const host of graph.nodes) {
        if (removed.has(host.id) || !opByName(host.op).epilogueHost) continue;
        const epi: Epilogue = host.attrs.epilogue ?? {};
        if (epi.activation) continue;
        const out = host.outputs[0]!;
        const user = soleUser(graph, users, out);
        if (!user || removed.has(user.id)) continue;
        if (isActivation(user.op)) {
          host.attrs = { ...host.attrs, epilogue: { ...epi, ...epilogueActivation(user) } };
          absorb(graph, host, user);
          activations++;
          changed = true;
        } else if (user.op === 'add' && !epi.residual && user.inputs.length === 2) {
          const other = user.inputs[0] === out ? user.inputs[1]! : user.inputs[0]!;
          if (other === out) continue;
          const otherValue = graph.values[other]!;
          if (!sameShape(otherValue.shape, graph.values[out]!.shape)) continue;
          const producedAt = otherValue.producer === undefined ? -1 : position.get(otherValue.producer)!;
          if (producedAt >= position.get(host.id)!) continue;
          host.attrs = { ...host.attrs, epilogue: { ...epi, residual: true } };
          host.inputs = [...host.inputs, other];
          absorb(graph, host, user);
          residuals++;
          changed = true;
        }
      }
    }
    function absorb(g: Graph, host: Node, user: Node): void {
      // The host now produces what the absorbed node produced: keep that value (and its name).
      const oldOut = host.outputs[0]!;
      const newOut = user.outputs[0]!;
      host.outputs = [newOut];
      g.values[newOut]!.producer = host.id;
      replaceUses(g, oldOut, newOut);
      // The absorbed node reads nothing any more (it would otherwise count as a reader).
      user.inputs = [];
      removed.add(user.id);
    }
    if (activations) log.add('fuse-epilogue', `fused ${activations} activation${activations === 1 ? '' : 's'} into the conv before them`);
    if (residuals) log.add('fuse-epilogue', `fused ${residuals} residual add${residuals === 1 ? '' : 's'} into the conv producing their operand`);
    return { graph: compact(graph, (n) => !removed.has(n.id)), weights };
  },
};
