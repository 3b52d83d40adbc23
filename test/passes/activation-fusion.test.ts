/**
 * The activations of MobileNetV3 and EfficientNet fused into the producing conv: conv + batch
 * norm + activation (folded, then the activation becomes the conv's epilogue), on the conv
 * shapes those networks use (1x1, 3x3, depthwise 5x5 with stride), a residual add before the
 * activation, and a transposed conv. The optimised graph must compute what the plain one
 * does, in the interpreter and in Wasm (every conv kernel path applies the same formula).
 * PReLU has a weight and is no epilogue: it stays a node, computed in place.
 */
import { describe, expect, it } from 'vitest';
import type { Graph, WeightStore } from '../../src/ir/graph.ts';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import { runGraph } from '../../src/interp/run.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { GraphBuilder, randomTensor, rng, type ActivationName } from '../support/graph-builder.ts';
import { runWasm } from '../wasm/harness.ts';

const CASES: [string, ActivationName, Record<string, unknown>][] = [
  ['hardswish', 'hardswish', {}],
  ['hardsigmoid', 'hardsigmoid', {}],
  ['hardsigmoid alpha 0.2', 'hardsigmoid', { alpha: 0.2, beta: 0.5 }],
  ['silu', 'silu', {}],
  ['gelu erf', 'gelu', { approximate: 'none' }],
  ['gelu tanh', 'gelu', { approximate: 'tanh' }],
  ['elu 0.5', 'elu', { alpha: 0.5 }],
];

async function checkOptimised(b: GraphBuilder, seed: number): Promise<Graph> {
  const rand = rng(seed);
  // Wide inputs reach every piece of the hard activations (below -3, above 3).
  const inputs: Tensor[] = b.graph.inputs.map((io) => randomTensor(b.graph.values[io.value]!.shape, rand, -4, 4));
  const ref = [...runGraph(b.graph, b.weights, inputs).values()];
  const opt = optimize(b.graph, b.weights as WeightStore);
  const fused = [...runGraph(opt.graph, opt.weights, inputs).values()];
  const wasm = [...(await runWasm(opt.graph, opt.weights, inputs)).outputs.values()];
  ref.forEach((r, k) => {
    expect(relativeL2(fused[k]!.data, r.data), 'optimised interpreter').toBeLessThan(1e-5);
    expect(relativeL2(wasm[k]!.data, r.data), 'optimised wasm').toBeLessThan(1e-5);
  });
  return opt.graph;
}

describe('activations fused into the producing conv', () => {
  it.each(CASES)('%s after conv + batch norm (1x1, 3x3, depthwise 5x5 stride 2)', async (_name, op, attrs) => {
    const b = new GraphBuilder(rng(7));
    const x = b.input([1, 8, 9, 9]);
    const a = b.activation(b.batchnorm(b.conv(x, 16, 1, { bias: false })), op, attrs);
    const c = b.activation(b.batchnorm(b.conv(a, 16, 3, { pad: 1, bias: false })), op, attrs);
    b.output(b.activation(b.batchnorm(b.conv(c, 16, 5, { pad: 2, stride: 2, groups: 16, bias: false })), op, attrs));
    const graph = await checkOptimised(b, 1);
    expect(graph.nodes.map((n) => n.op)).toEqual(['conv', 'conv', 'conv']);
    for (const n of graph.nodes) expect(n.attrs.epilogue).toEqual({ activation: op, ...b.graph.nodes[2]!.attrs });
  });

  it.each(CASES)('%s after a residual add and after a transposed conv', async (_name, op, attrs) => {
    const b = new GraphBuilder(rng(8));
    const x = b.input([1, 6, 7, 7]);
    const r = b.activation(b.add(b.conv(x, 6, 3, { pad: 1 }), x), op, attrs);
    b.output(b.activation(b.convTranspose(r, 4, 4, { stride: 2, pad: 1 }), op, attrs));
    const graph = await checkOptimised(b, 2);
    expect(graph.nodes.map((n) => n.op)).toEqual(['conv', 'conv_transpose']);
    expect(graph.nodes[0]!.attrs.epilogue).toMatchObject({ residual: true, activation: op });
    expect(graph.nodes[1]!.attrs.epilogue).toMatchObject({ activation: op });
  });
});

describe('prelu', () => {
  it('per channel and shared slopes stay nodes after conv + batch norm and compute the same', async () => {
    const b = new GraphBuilder(rng(9));
    const x = b.input([2, 5, 6, 6]);
    const a = b.prelu(b.batchnorm(b.conv(x, 8, 3, { pad: 1, bias: false })), 8);
    b.output(b.prelu(b.conv(a, 4, 1), 1));
    const graph = await checkOptimised(b, 3);
    expect(graph.nodes.map((n) => n.op)).toEqual(['conv', 'prelu', 'conv', 'prelu']);
    expect(graph.nodes[0]!.attrs.epilogue).toBeUndefined();
    // Elementwise: the memory planner lets it overwrite its input (the Wasm kernel reads each
    // vector before writing it).
    expect(graph.nodes.filter((n) => n.op === 'prelu').every((n) => n.attrs.inPlace)).toBe(true);
  });
});
