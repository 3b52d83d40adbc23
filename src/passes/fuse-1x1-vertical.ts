/**
 * Vertical 1x1 fusion: a 1x1 conv A followed by a 1x1 conv B with nothing nonlinear between
 * (A has no epilogue, B reads only A's output, A's output is read only by B) is one 1x1 conv:
 *
 *   W = W_B . W_A   ([out_B, in_A]),   b = W_B . b_A + b_B,   stride = A's stride.
 *
 * Applied only when the composed product is no more work than the two (cin*cout <= cin*mid +
 * mid*cout). Both convs need groups = 1 and no padding; B needs stride 1 (A's stride then carries over).
 * Exact in real arithmetic; in float32 the composed product rounds differently, well within
 * the 1e-5 relative tolerance the differential tests hold it to. Batch norms between them are
 * folded into A first (fold-batchnorm runs earlier), so "any per-channel affine map" is covered.
 */
import type { Graph, WeightStore } from '../ir/graph.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { cloneGraph, compact, isUnpaddedPointwiseConv, soleUser, sourceRange, usersOf } from './rewrite.ts';

export const fuse1x1Vertical: Pass = {
  name: 'fuse-1x1-vertical',
  doc: 'compose a 1x1 conv followed by a 1x1 conv (no nonlinearity between) into one',
  run(input: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    const graph = cloneGraph(input);
    const next: WeightStore = new Map(weights);
    const removed = new Set<number>();
    let fusedCount = 0;
    const users = usersOf(graph);
    for (const a of graph.nodes) {
      if (removed.has(a.id) || !isUnpaddedPointwiseConv(a) || a.attrs.epilogue) continue;
      const b = soleUser(graph, users, a.outputs[0]!);
      if (!b || removed.has(b.id) || !isUnpaddedPointwiseConv(b) || b.inputs.length !== 1) continue;
      const bAttrs = b.attrs;
      if (!bAttrs.stride.every((s) => s === 1)) continue;
      const wa = next.get(a.params.weight!.name)!;
      const wb = next.get(b.params.weight!.name)!;
      const mid = wa.shape[0]!;
      const cin = wa.shape[1]!;
      const cout = wb.shape[0]!;
      // Composing is only worth it when it does not add work (a bottleneck 256->64->256 would
      // double its MACs as one 256->256 product).
      if (cin * cout > cin * mid + mid * cout) continue;
      const ba = a.params.bias ? next.get(a.params.bias.name)!.data : undefined;
      const bb = b.params.bias ? next.get(b.params.bias.name)!.data : undefined;
      const w = new Float32Array(cout * cin);
      const bias = new Float32Array(cout);
      for (let o = 0; o < cout; o++) {
        let accB = bb ? bb[o]! : 0;
        for (let m = 0; m < mid; m++) {
          const wbv = wb.data[o * mid + m]!;
          if (ba) accB += wbv * ba[m]!;
        }
        bias[o] = accB;
        for (let i = 0; i < cin; i++) {
          let acc = 0;
          for (let m = 0; m < mid; m++) acc += wb.data[o * mid + m]! * wa.data[m * cin + i]!;
          w[o * cin + i] = acc;
        }
      }
      const ones = bAttrs.kernel.map(() => 1);
      const wName = `${b.name}.weight`;
      const bName = `${b.name}.bias`;
      for (const p of Object.values(a.params)) next.delete(p.name);
      next.set(wName, { shape: [cout, cin, ...ones], data: w });
      next.set(bName, { shape: [cout], data: bias });
      b.params = {
        weight: { name: wName, shape: [cout, cin, ...ones], trainable: true },
        bias: { name: bName, shape: [cout], trainable: true },
      };
      b.attrs = { ...b.attrs, stride: [...a.attrs.stride], bias: true };
      b.inputs = [a.inputs[0]!];
      removed.add(a.id);
      fusedCount++;
      log.add('fuse-1x1-vertical', `composed ${a.name} and ${b.name} (${sourceRange([a, b])}) into one 1x1 conv ${cin}->${cout}`);
    }
    if (!fusedCount) return { graph: input, weights };
    return { graph: compact(graph, (n) => !removed.has(n.id)), weights: next };
  },
};
