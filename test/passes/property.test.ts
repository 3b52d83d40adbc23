/**
 * Property test: random valid graphs (branches, concats, residual adds, 1x1 chains, batch
 * norms, activations) through all passes in random orders compute what they computed before
 * (interpreter, relative L2 < 1e-5), and the memory plan never lets live values overlap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Graph, ValueId, WeightStore } from '../../src/ir/graph.ts';
import { relativeL2 } from '../../src/ir/tensor.ts';
import { runGraph } from '../../src/interp/run.ts';
import { ExplainLog } from '../../src/passes/pass.ts';
import { PASSES } from '../../src/passes/pipeline.ts';
import { planMemoryPass } from '../../src/passes/plan-memory.ts';
import { GraphBuilder, randomTensor, rng } from '../support/graph-builder.ts';
import { assertNoLiveOverlap } from '../support/memory.ts';

type Step = { kind: number; a: number; b: number; c: number };

/** Interpret a list of random steps as graph-building actions on a pool of live values. */
function buildRandomGraph(seed: number, batch: number, steps: Step[]): GraphBuilder {
  const b = new GraphBuilder(rng(seed));
  const pool: ValueId[] = [b.input([batch, 4, 6, 6])];
  const pick = (i: number) => pool[i % pool.length]!;
  for (const s of steps) {
    const x = pick(s.a);
    const c = b.shape(x)[1]!;
    switch (s.kind % 9) {
      case 0: pool.push(b.conv(x, 2 + (s.b % 6), 1)); break; // 1x1
      case 1: pool.push(b.conv(x, 2 + (s.b % 6), 3, { pad: 1, bias: s.c % 2 === 0 })); break;
      case 2: pool.push(b.batchnorm(x)); break;
      case 3: {
        const acts = ['relu', 'relu6', 'sigmoid', 'tanh', 'leaky_relu', 'clip', 'hardsigmoid', 'hardswish', 'silu', 'gelu', 'elu'] as const;
        pool.push(b.activation(x, acts[s.b % acts.length]));
        break;
      }
      case 4: {
        // residual add with a same-shaped value, or a fresh conv to match the shape
        const y = pool.find((v) => v !== x && b.shape(v).join() === b.shape(x).join()) ?? b.conv(x, c, 3, { pad: 1 });
        pool.push(b.add(y, x));
        break;
      }
      case 5: {
        const y = pick(s.b);
        if (b.shape(y).slice(2).join() === b.shape(x).slice(2).join() && y !== x) pool.push(b.concat([x, y]));
        else pool.push(b.concat([x, b.conv(x, 3, 1)]));
        break;
      }
      case 6: pool.push(b.conv(b.conv(x, 3, 1), 2 + (s.b % 3), 1)); break; // 1x1 chain
      case 7: pool.push(b.dropout(x)); break;
      case 8: pool.push(b.maxpool(x, 3, 1, 1)); break;
    }
  }
  // Every value nobody reads becomes an output, so the whole graph is live.
  const read = new Set(b.graph.nodes.flatMap((n) => n.inputs));
  const leaves = pool.filter((v) => !read.has(v) && !b.graph.inputs.some((i) => i.value === v));
  leaves.forEach((v, i) => b.output(v, `out${i}`));
  if (leaves.length === 0) b.output(pool[pool.length - 1]!, 'out');
  return b;
}

function run(graph: Graph, weights: WeightStore, seed: number) {
  const rand = rng(seed);
  const inputs = new Map(graph.inputs.map((io) => [io.name, randomTensor(graph.values[io.value]!.shape, rand)]));
  return runGraph(graph, weights, inputs);
}

const stepArb = fc.record({ kind: fc.nat(8), a: fc.nat(20), b: fc.nat(20), c: fc.nat(3) });

describe('passes preserve the function on random graphs', () => {
  it('in random orders', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e6 }),
        fc.constantFrom(1, 2),
        fc.array(stepArb, { minLength: 1, maxLength: 14 }),
        fc.shuffledSubarray(PASSES.map((p) => p.name)),
        (seed, batch, steps, order) => {
          const b = buildRandomGraph(seed, batch, steps);
          const before = run(b.graph, b.weights, seed);
          let g = b.graph;
          let w = b.weights;
          const log = new ExplainLog();
          for (const name of order) ({ graph: g, weights: w } = PASSES.find((p) => p.name === name)!.run(g, w, log));
          // A layout is always planned last, as the pipeline does, to check it is sound.
          ({ graph: g, weights: w } = planMemoryPass.run(g, w, log));
          assertNoLiveOverlap(g);
          const after = run(g, w, seed);
          for (const [name, ref] of before) {
            const got = after.get(name)!;
            expect(got.shape).toEqual(ref.shape);
            expect(relativeL2(got.data, ref.data)).toBeLessThan(1e-5);
          }
        },
      ),
      { numRuns: 120, seed: 20261128 },
    );
  });
});
