/**
 * Each pass on hand-built graphs: what it rewrites (structure) and that the function the graph
 * computes is unchanged (interpreter before vs after, fresh random inputs, relative L2 < 1e-5).
 */
import { describe, expect, it } from 'vitest';
import type { Graph, WeightStore } from '../../src/ir/graph.ts';
import { relativeL2 } from '../../src/ir/tensor.ts';
import { runGraph } from '../../src/interp/run.ts';
import { ExplainLog, type Pass } from '../../src/passes/pass.ts';
import { cleanup } from '../../src/passes/cleanup.ts';
import { foldBatchNorm } from '../../src/passes/fold-batchnorm.ts';
import { fuse1x1Horizontal, fusedName } from '../../src/passes/fuse-1x1-horizontal.ts';
import { fuse1x1Vertical } from '../../src/passes/fuse-1x1-vertical.ts';
import { fuseEpilogue } from '../../src/passes/fuse-epilogue.ts';
import { concatInPlace } from '../../src/passes/concat-in-place.ts';
import { planMemoryPass } from '../../src/passes/plan-memory.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { GraphBuilder, randomTensor, rng } from '../support/graph-builder.ts';
import { assertNoLiveOverlap } from '../support/memory.ts';
import { compareWithInterp } from '../wasm/harness.ts';

function outputsOf(graph: Graph, weights: WeightStore, seed: number) {
  const rand = rng(seed);
  const inputs = new Map(graph.inputs.map((io) => [io.name, randomTensor(graph.values[io.value]!.shape, rand)]));
  return runGraph(graph, weights, inputs);
}

/** Run `pass`, check the outputs agree with the original graph's, return the new graph. */
function checkPreserves(pass: Pass | ((g: Graph, w: WeightStore) => { graph: Graph; weights: WeightStore }), b: GraphBuilder) {
  const log = new ExplainLog();
  const run = typeof pass === 'function' ? pass : (g: Graph, w: WeightStore) => pass.run(g, w, log);
  const after = run(b.graph, b.weights);
  for (const seed of [1, 2]) {
    const before = outputsOf(b.graph, b.weights, seed);
    const got = outputsOf(after.graph, after.weights, seed);
    for (const [name, ref] of before) {
      const t = got.get(name);
      expect(t, `output ${name}`).toBeDefined();
      expect(t!.shape).toEqual(ref.shape);
      expect(relativeL2(t!.data, ref.data)).toBeLessThan(1e-5);
    }
  }
  return { log, ...after };
}

const ops = (g: Graph) => g.nodes.map((n) => n.op);

describe('cleanup', () => {
  it('removes dropout, identity, single concat and dead nodes', () => {
    const b = new GraphBuilder(rng(1));
    const x = b.input([1, 3, 6, 6]);
    const c = b.conv(x, 4, 3, { pad: 1 });
    const d = b.dropout(c);
    const i = b.identity(d);
    b.conv(x, 2, 1); // dead
    b.output(b.concat([b.activation(i)]));
    const { graph, log } = checkPreserves(cleanup, b);
    expect(ops(graph)).toEqual(['conv', 'relu']);
    expect(log.forPass('cleanup').join(' ')).toMatch(/dead node/);
  });
});

describe('fold-batchnorm', () => {
  it('folds into the conv before it', () => {
    const b = new GraphBuilder(rng(2));
    const x = b.input([1, 3, 7, 7]);
    b.output(b.activation(b.batchnorm(b.conv(x, 5, 3, { pad: 1, bias: false }))));
    const { graph, weights } = checkPreserves(foldBatchNorm, b);
    expect(ops(graph)).toEqual(['conv', 'relu']);
    expect(graph.nodes[0]!.params.bias).toBeDefined();
    expect([...weights.keys()].some((k) => k.includes('running_mean'))).toBe(false);
  });
  it('folds into a transposed conv with groups of output channels', () => {
    const b = new GraphBuilder(rng(3));
    const x = b.input([2, 4, 3, 3]);
    b.output(b.batchnorm(b.convTranspose(x, 6, 4, { stride: 2, pad: 1, bias: false })));
    const { graph } = checkPreserves(foldBatchNorm, b);
    expect(ops(graph)).toEqual(['conv_transpose']);
  });
  it('folds into a following unpadded 1x1 conv when the batch norm has no producer to fold into', () => {
    const b = new GraphBuilder(rng(4));
    const x = b.input([1, 4, 5, 5]);
    b.output(b.conv(b.batchnorm(b.activation(x)), 3, 1));
    const { graph } = checkPreserves(foldBatchNorm, b);
    expect(ops(graph)).toEqual(['relu', 'conv']);
  });
  it('leaves a batch norm before a padded 3x3 conv alone', () => {
    const b = new GraphBuilder(rng(5));
    const x = b.input([1, 4, 5, 5]);
    b.output(b.conv(b.batchnorm(b.activation(x)), 3, 3, { pad: 1 }));
    const { graph } = checkPreserves(foldBatchNorm, b);
    expect(ops(graph)).toEqual(['relu', 'batchnorm', 'conv']);
  });
});

describe('fuse-epilogue', () => {
  it('fuses relu, residual add and the relu after it (a ResNet block tail)', () => {
    const b = new GraphBuilder(rng(6));
    const x = b.input([1, 8, 6, 6]);
    const y = b.activation(b.conv(x, 8, 3, { pad: 1 }));
    const z = b.conv(y, 8, 3, { pad: 1 });
    b.output(b.activation(b.add(z, x)));
    const { graph } = checkPreserves(fuseEpilogue, b);
    expect(ops(graph)).toEqual(['conv', 'conv']);
    expect(graph.nodes[1]!.attrs.epilogue).toEqual({ residual: true, activation: 'relu' });
    expect(graph.nodes[1]!.inputs.length).toBe(2);
  });
  it('fuses each activation kind', () => {
    for (const act of ['relu6', 'sigmoid', 'tanh', 'leaky_relu', 'clip'] as const) {
      const b = new GraphBuilder(rng(7));
      const x = b.input([1, 2, 4, 4]);
      b.output(b.activation(b.conv(x, 3, 3, { pad: 1 }), act));
      const { graph } = checkPreserves(fuseEpilogue, b);
      expect(ops(graph)).toEqual(['conv']);
    }
  });
  it('does not fuse when the conv output has another reader', () => {
    const b = new GraphBuilder(rng(8));
    const x = b.input([1, 2, 4, 4]);
    const c = b.conv(x, 2, 1);
    b.output(b.activation(c));
    b.output(c);
    const { graph } = checkPreserves(fuseEpilogue, b);
    expect(ops(graph)).toEqual(['conv', 'relu']);
  });
});

/** An Inception-like block: three 1x1 convs and a pool branch on one input, concatenated. */
function inceptionLike(seed: number): GraphBuilder {
  const b = new GraphBuilder(rng(seed));
  const x = b.input([1, 16, 7, 7]);
  const p1 = b.activation(b.conv(x, 8, 1));
  const p2 = b.activation(b.conv(b.activation(b.conv(x, 6, 1)), 8, 3, { pad: 1 }));
  const p3 = b.activation(b.conv(b.activation(b.conv(x, 4, 1)), 4, 5, { pad: 2 }));
  const p4 = b.activation(b.conv(b.maxpool(x, 3, 1, 1), 4, 1));
  b.output(b.concat([p1, p2, p3, p4]));
  return b;
}

describe('fuse-1x1-horizontal', () => {
  it('fuses the three 1x1 convs reading the block input', () => {
    const b = inceptionLike(9);
    const run = (g: Graph, w: WeightStore) => {
      const log = new ExplainLog();
      const e = fuseEpilogue.run(g, w, log);
      return fuse1x1Horizontal.run(e.graph, e.weights, log);
    };
    const { graph } = checkPreserves(run, b);
    const fused = graph.nodes.filter((n) => n.op === 'conv' && n.attrs.fusedFrom);
    expect(fused.length).toBe(1);
    expect(fused[0]!.op === 'conv' && fused[0]!.attrs.outChannels).toBe(18);
    // The branch feeding the concat first is laid out last.
    expect(fused[0]!.attrs.fusedFrom).toEqual(['conv3', 'conv7', 'conv1']);
    expect(graph.nodes.filter((n) => n.op === 'slice').length).toBe(3);
  });
  it('names fused layers after their common prefix', () => {
    expect(fusedName(['inception3a.p1_1', 'inception3a.p2_1', 'inception3a.p3_1'])).toBe('inception3a.{p1_1,p2_1,p3_1}');
  });
});

describe('fuse-1x1-vertical', () => {
  it('composes a 1x1 expansion followed by a 1x1 reduction', () => {
    const b = new GraphBuilder(rng(10));
    const x = b.input([1, 4, 5, 5]);
    b.output(b.conv(b.conv(x, 3, 1, { stride: 2 }), 2, 1));
    const { graph } = checkPreserves(fuse1x1Vertical, b);
    expect(ops(graph)).toEqual(['conv']);
    expect(graph.values[graph.outputs[0]!.value]!.shape).toEqual([1, 2, 3, 3]);
  });
  it('leaves a bottleneck (more work when composed) alone', () => {
    const b = new GraphBuilder(rng(11));
    const x = b.input([1, 16, 3, 3]);
    b.output(b.conv(b.conv(x, 4, 1), 16, 1));
    const { graph } = checkPreserves(fuse1x1Vertical, b);
    expect(ops(graph)).toEqual(['conv', 'conv']);
  });
});

describe('concat-in-place and plan-memory', () => {
  it('writes every Inception operand in place and plans a smaller arena', () => {
    const b = inceptionLike(12);
    const { graph, log } = checkPreserves((g, w) => optimize(g, w), b);
    const concat = graph.nodes.find((n) => n.op === 'concat')!;
    expect(concat.attrs.operandsInPlace).toEqual([true, true, true, true]);
    expect(graph.nodes.filter((n) => n.op === 'slice').every((n) => n.attrs.view)).toBe(true);
    const plan = graph.memory!;
    expect(plan.arenaBytes).toBeLessThan(plan.unplannedBytes);
    expect(log.forPass('plan-memory').join()).toMatch(/arena/);
    // Every operand sits at its channel offset inside the concat output.
    const out = plan.slots.get(concat.outputs[0]!)!;
    let channel = 0;
    for (const v of concat.inputs) {
      expect(plan.slots.get(v)!.offset).toBe(out.offset + channel * 7 * 7 * 4);
      channel += graph.values[v]!.shape[1]!;
    }
  });
  it('never lets two live values overlap', () => {
    const b = inceptionLike(13);
    const { graph } = optimize(b.graph, b.weights);
    assertNoLiveOverlap(graph);
  });
  it('is a no-op for the function the graph computes', () => {
    checkPreserves(concatInPlace, inceptionLike(14));
    checkPreserves(planMemoryPass, inceptionLike(15));
  });
});


describe('broadcast elementwise operands through the pipeline', () => {
  /** Squeeze-and-excitation, then sub/div/add of a [1, C, 1, 1] operand after convs, then a residual add. */
  function seBlock(seed: number): GraphBuilder {
    const b = new GraphBuilder(rng(seed));
    const x = b.input([1, 8, 6, 6]);
    const y = b.activation(b.conv(x, 8, 3, { pad: 1 }));
    const s = b.activation(b.conv(b.activation(b.conv(b.globalAvgpool(y), 4, 1)), 8, 1), 'sigmoid');
    const scaled = b.binary('mul', y, s);
    const shifted = b.binary('add', b.conv(scaled, 8, 1), s);
    const centred = b.binary('sub', b.conv(shifted, 8, 1), s);
    const ratio = b.binary('div', b.conv(centred, 8, 1), b.binary('add', s, s));
    const small = b.binary('mul', s, b.conv(ratio, 8, 1));
    b.output(b.activation(b.binary('add', b.conv(small, 8, 3, { pad: 1 }), x)));
    return b;
  }

  it('fuses only the same-shape residual add, computes in place only over a full-size first operand', async () => {
    const { graph, weights } = checkPreserves(optimize, seBlock(21));
    const residuals = graph.nodes.filter((n) => n.op === 'conv' && n.attrs.epilogue?.residual);
    expect(residuals).toHaveLength(1);
    const shape = (v: number) => graph.values[v]!.shape;
    for (const n of residuals) expect(shape(n.inputs[1]!)).toEqual(shape(n.outputs[0]!));
    // Every broadcast add/sub/mul/div is still a node of its own.
    expect(ops(graph).filter((op) => ['add', 'sub', 'mul', 'div'].includes(op)).sort()).toEqual(['add', 'add', 'div', 'mul', 'mul', 'sub']);
    const inPlace = graph.nodes.filter((n) => (n.attrs as { inPlace?: boolean }).inPlace);
    expect(inPlace.length).toBeGreaterThan(0);
    for (const n of inPlace) expect(shape(n.inputs[0]!)).toEqual(shape(n.outputs[0]!));
    assertNoLiveOverlap(graph);
    const rand = rng(3);
    const { errors } = await compareWithInterp(graph, weights, [randomTensor([1, 8, 6, 6], rand)]);
    for (const [name, e] of errors) expect(e, name).toBeLessThan(1e-5);
  });
});
