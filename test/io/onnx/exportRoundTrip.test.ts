/**
 * Export IR graphs (hand-built, one per operator and attribute case, and the example
 * networks), run them with onnxruntime and with the interpreter on random inputs, and
 * import the exported bytes back: the same node count, shapes, weight names and parameter
 * count must come out.
 */
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../../src/check/check.ts';
import { fileSystemHost } from '../../../src/check/host.ts';
import { concretize } from '../../../src/check/concretize.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { isOnnxError } from '../../../src/io/onnx/errors.ts';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import type { Graph, WeightStore } from '../../../src/ir/graph.ts';
import { relativeL2, type Tensor } from '../../../src/ir/tensor.ts';
import { GraphBuilder } from './graphBuilder.ts';
import { checkToGraph, paramCount, runOrt, sortedNodeShapes, weightSignature } from './helpers.ts';

const conv = (rank: number, out: number, k: number[], extra: object = {}) => ({
  rank, outChannels: out, kernel: k, stride: k.map(() => 1), padBegin: k.map(() => 0), padEnd: k.map(() => 0),
  dilation: k.map(() => 1), groups: 1, bias: true, ...extra,
});
const pool = (k: number[], extra: object = {}) => ({
  rank: k.length, kernel: k, stride: k, pad: k.map(() => 0), dilation: k.map(() => 1), ceil: false, countIncludePad: true, ...extra,
});

/** Small graphs covering every operator and the attribute cases that change the ONNX mapping. */
const cases: Record<string, () => GraphBuilder> = {
  'conv same padding (asymmetric pads)': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 3, 9, 8]);
    b.output('y', b.node('conv', 'c', [x], conv(2, 4, [4, 2], { padBegin: [1, 0], padEnd: [2, 1] }), [1, 4, 9, 8], { weight: [4, 3, 4, 2], bias: [4] }));
    return b;
  },
  'conv1d dilated, grouped, no bias': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 4, 20]);
    b.output('y', b.node('conv', 'c', [x], conv(1, 6, [3], { dilation: [2], groups: 2, bias: false, stride: [2] }), [2, 6, 8], { weight: [6, 2, 3] }));
    return b;
  },
  'conv_transpose 3d with output padding': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 3, 3, 3]);
    const a = { rank: 3, outChannels: 4, kernel: [3, 3, 3], stride: [2, 2, 2], pad: [1, 1, 1], outputPad: [1, 1, 1], dilation: [1, 1, 1], groups: 1, bias: true };
    b.output('y', b.node('conv_transpose', 'up', [x], a, [1, 4, 6, 6, 6], { weight: [2, 4, 3, 3, 3], bias: [4] }));
    return b;
  },
  'maxpool dilated ceil and avgpool without padding count': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 11, 10]);
    const m = b.node('maxpool', 'mp', [x], pool([3, 3], { stride: [2, 2], pad: [1, 1], dilation: [2, 1], ceil: true }), [1, 2, 5, 6]);
    b.output('y', b.node('avgpool', 'ap', [m], pool([2, 2], { stride: [2, 2], pad: [1, 1], ceil: true, countIncludePad: false }), [1, 2, 3, 4]));
    return b;
  },
  'global and divisible adaptive pools': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 3, 8, 6]);
    const a = b.node('adaptive_avgpool', 'aa', [x], { rank: 2, size: [4, 3] }, [1, 3, 4, 3]);
    b.output('y', b.node('adaptive_maxpool', 'am', [a], { rank: 2, size: [1, 1] }, [1, 3, 1, 1]));
    return b;
  },
  'batchnorm, activations, clip, relu6': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3, 4, 5]);
    let v = b.node('batchnorm', 'bn', [x], { eps: 1e-3 }, [2, 3, 4, 5], { weight: [3], bias: [3], running_mean: [3], running_var: [3] });
    v = b.node('leaky_relu', 'lr', [v], { slope: 0.2 }, [2, 3, 4, 5]);
    v = b.node('clip', 'cl', [v], { min: -0.1, max: 0.3 }, [2, 3, 4, 5]);
    v = b.node('relu6', 'r6', [v], {}, [2, 3, 4, 5]);
    v = b.node('sigmoid', 'sg', [v], {}, [2, 3, 4, 5]);
    v = b.node('tanh', 'th', [v], {}, [2, 3, 4, 5]);
    b.output('y', b.node('relu', 'r', [v], {}, [2, 3, 4, 5]));
    return b;
  },
  'add and mul with a per-channel operand, concat': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 4, 3, 3]);
    const s = b.input('s', [4, 1, 1]);
    const a = b.node('mul', 'm', [x, s], {}, [1, 4, 3, 3]);
    const c = b.node('add', 'a', [a, x], {}, [1, 4, 3, 3]);
    b.output('y', b.node('concat', 'cat', [c, x, a], { axis: 1 }, [1, 12, 3, 3]));
    return b;
  },
  'sub and div broadcast, constant operands, mean and amax': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3, 4, 5]);
    const s = b.input('s', [2, 3, 1, 1]);
    const d = b.node('sub', 'd', [x, s], {}, [2, 3, 4, 5]);
    const q = b.node('div', 'q', [d, x], {}, [2, 3, 4, 5]);
    const m = b.node('sub', 'norm_mean', [q], { constant: [1, 3, 1, 1] }, [2, 3, 4, 5], { value: [1, 3, 1, 1] });
    const v = b.node('mul', 'norm_scale', [m], { constant: [1, 3, 1, 1] }, [2, 3, 4, 5], { value: [1, 3, 1, 1] });
    b.output('y', b.node('reduce_mean', 'mean', [v], { axes: [2, 3], keepdim: false }, [2, 3]));
    b.output('z', b.node('reduce_max', 'amax', [v], { axes: [1, 3], keepdim: true }, [2, 1, 4, 1]));
    return b;
  },
  'flatten from axis 2, linear over the last axis, softmax': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 3, 4, 5]);
    const f = b.node('flatten', 'f', [x], { start: 2, end: 3 }, [2, 3, 20]);
    const l = b.node('linear', 'fc', [f], { outFeatures: 7, bias: true }, [2, 3, 7], { weight: [7, 20], bias: [7] });
    const g = b.node('flatten', 'g', [l], { start: 1, end: 2 }, [2, 21]);
    const h = b.node('linear', 'fc2', [g], { outFeatures: 5, bias: false }, [2, 5], { weight: [5, 21] });
    b.output('y', b.node('softmax', 'sm', [h], { axis: 1 }, [2, 5]));
    return b;
  },
  'dropout and identity': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 3, 2, 2]);
    const d = b.node('dropout', 'dr', [x], { p: 0.3 }, [1, 3, 2, 2]);
    b.output('y', b.node('identity', 'id', [d], {}, [1, 3, 2, 2]));
    return b;
  },
  'upsample by size (nearest), align_corners, trilinear and 1-d linear': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 3, 4]);
    const n = b.node('upsample', 'n', [x], { rank: 2, mode: 'nearest', size: [5, 7], alignCorners: false }, [1, 2, 5, 7]);
    b.output('y', b.node('upsample', 'ac', [n], { rank: 2, mode: 'linear', size: [9, 8], alignCorners: true }, [1, 2, 9, 8]));
    const z = b.input('z', [1, 2, 2, 3, 4]);
    b.output('y3', b.node('upsample', 'tri', [z], { rank: 3, mode: 'linear', size: [4, 6, 8], scale: [2, 2, 2], alignCorners: false }, [1, 2, 4, 6, 8]));
    const w = b.input('w', [1, 2, 5]);
    b.output('y1', b.node('upsample', 'lin', [w], { rank: 1, mode: 'linear', size: [7], alignCorners: false }, [1, 2, 7]));
    return b;
  },
  'pad constant with a value and a crop, reflect, replicate 3-d': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 2, 5, 6]);
    const c = b.node('pad', 'pc', [x], { rank: 2, mode: 'constant', begin: [1, -1], end: [2, 0], value: 0.5 }, [1, 2, 8, 5]);
    b.output('y', b.node('pad', 'pr', [c], { rank: 2, mode: 'reflect', begin: [2, 1], end: [1, 3], value: 0 }, [1, 2, 11, 9]));
    const z = b.input('z', [1, 2, 3, 4, 5]);
    b.output('y3', b.node('pad', 'pe', [z], { rank: 3, mode: 'replicate', begin: [1, 0, 2], end: [0, 2, 1], value: 0 }, [1, 2, 4, 6, 8]));
    return b;
  },
  'slices of the channels and of a spatial axis': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [2, 8, 3, 5]);
    b.output('y0', b.node('slice', 's0', [x], { axis: 1, start: 0, length: 3 }, [2, 3, 3, 5]));
    b.output('y1', b.node('slice', 's1', [x], { axis: 3, start: 1, length: 4 }, [2, 8, 3, 4]));
    return b;
  },
  'channel shuffle': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 12, 3, 4]);
    b.output('y', b.node('channel_shuffle', 'cs', [x], { groups: 3 }, [1, 12, 3, 4]));
    return b;
  },
  'softmax over channels of a 4-d tensor': () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 5, 2, 3]);
    b.output('y', b.node('softmax', 'sm', [x], { axis: 1 }, [1, 5, 2, 3]));
    return b;
  },
};

function randomInputs(graph: Graph<number>): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const io of graph.inputs) out[io.name] = detTensor(`input/${io.name}`, graph.values[io.value]!.shape, -1, 1);
  return out;
}

async function compareWithOrt(graph: Graph<number>, weights: WeightStore, opset: number, label: string): Promise<void> {
  const bytes = exportOnnx(graph, weights, { opset });
  const inputs = randomInputs(graph);
  const ort = await runOrt(bytes, inputs);
  const ours = runGraph(graph, weights, new Map(Object.entries(inputs)));
  for (const o of graph.outputs) {
    const a = ort.get(o.name)!;
    const b = ours.get(o.name)!;
    expect(a.shape).toEqual(b.shape);
    const err = relativeL2(a.data, b.data);
    console.log(`${label} opset ${opset} ${o.name}: onnxruntime vs interpreter rel L2 ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-5);
  }
}

/** Same bytes, compared without a deep-equality walk over millions of elements. */
const sameData = (a: Float32Array | undefined, b: Float32Array) =>
  a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function expectRoundTrip(graph: Graph<number>, weights: WeightStore, file: string, opsMayChange = false, requireSource = false): void {
  const back = importOnnx(exportOnnx(graph, weights), { file });
  expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(back.graph!.nodes.length).toBe(graph.nodes.length);
  const shapesOnly = (s: string[]) => s.map((x) => x.replace(/^\S+ /, '')).sort();
  if (opsMayChange) expect(shapesOnly(sortedNodeShapes(back.graph!))).toEqual(shapesOnly(sortedNodeShapes(graph)));
  else expect(sortedNodeShapes(back.graph!)).toEqual(sortedNodeShapes(graph));
  expect(weightSignature(back.graph!)).toEqual(weightSignature(graph));
  expect(paramCount(back.graph!)).toBe(paramCount(graph));
  for (const [name, t] of weights) expect(sameData(back.weights!.get(name)?.data, t.data), name).toBe(true);
  // The generated source checks to the same graph again.
  if (requireSource) expect(back.source, back.diagnostics.map((d) => d.message).join('; ')).toBeDefined();
  if (back.source !== undefined) {
    const again = checkToGraph(back.source, file.replace(/\.onnx$/, '.net'));
    expect(again.nodes.length).toBe(graph.nodes.length);
    expect(weightSignature(again)).toEqual(weightSignature(graph));
    expect(shapesOnly(sortedNodeShapes(again))).toEqual(shapesOnly(sortedNodeShapes(graph)));
  }
}

describe('export of hand-built graphs', () => {
  for (const [name, build] of Object.entries(cases)) {
    for (const opset of [13, 17, 21]) {
      it(`${name}: onnxruntime matches the interpreter (opset ${opset})`, async () => {
        const b = build();
        await compareWithOrt(b.graph(), b.weights, opset, name);
      });
    }
    it(`${name}: export then import gives the same graph`, () => {
      const b = build();
      // Adaptive pooling with even windows is written as plain pooling and comes back as such.
      expectRoundTrip(b.graph(), b.weights, 'hand.onnx', name.includes('adaptive'));
    });
  }

  it('softmax over a non-last axis is refused at opset 11 and exported at 13', async () => {
    const b = cases['softmax over channels of a 4-d tensor']!();
    let message = '';
    try { exportOnnx(b.graph(), b.weights, { opset: 11 }); } catch (e) { if (isOnnxError(e)) message = e.diagnostic.message; }
    expect(message).toMatch(/opset 13/);
    await compareWithOrt(b.graph(), b.weights, 13, 'softmax');
  });

  it('refuses unknown opsets, missing weights and operators without an ONNX form', () => {
    const b = cases['dropout and identity']!();
    const codeOf = (f: () => unknown) => { try { f(); return 'none'; } catch (e) { return isOnnxError(e) ? e.diagnostic.code : String(e); } };
    expect(codeOf(() => exportOnnx(b.graph(), b.weights, { opset: 9 }))).toBe('NET5021');
    const c = cases['batchnorm, activations, clip, relu6']!();
    c.weights.delete('bn.running_var');
    expect(codeOf(() => exportOnnx(c.graph(), c.weights))).toBe('NET5020');
    const g = b.graph();
    (g.nodes[0] as { op: string }).op = 'fused_conv_relu';
    expect(codeOf(() => exportOnnx(g, b.weights))).toBe('NET5020');
  });

  it('names nodes and initializers hierarchically', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 3, 4, 4]);
    b.output('y', b.node('conv', 'inception3a.p2_2', [x], conv(2, 4, [1, 1]), [1, 4, 4, 4], { weight: [4, 3, 1, 1], bias: [4] }));
    const back = importOnnx(exportOnnx(b.graph(), b.weights), { file: 'n.onnx' });
    expect(back.graph!.nodes[0]!.name).toBe('inception3a.p2_2');
    expect([...back.weights!.keys()].sort()).toEqual(['inception3a.p2_2.bias', 'inception3a.p2_2.weight']);
  });
});

/** Example networks, bound to small sizes where they are symbolic; the interpreter runs the small ones. */
const examples: { file: string; network: string; run: boolean }[] = [
  { file: 'dcgan.net', network: 'DCGANGenerator', run: true },
  { file: 'cnn3d_action.net', network: 'ActionCNN3D', run: true },
  { file: 'unet3d.net', network: 'UNet3D', run: true },
  { file: 'fcn.net', network: 'FCN32s', run: false },
  { file: 'fcn.net', network: 'FCN16s', run: false },
  { file: 'googlenet.net', network: 'GoogLeNet', run: false },
  { file: 'resnet50.net', network: 'ResNet50', run: false },
];

describe('export of the example networks', () => {
  const bindings = new Map([['N', 1], ['D', 8], ['H', 8], ['W', 8]]);
  for (const ex of examples) {
    it(`${ex.file} ${ex.network}: exports, runs in onnxruntime${ex.run ? ' like the interpreter' : ''}, imports back`, async () => {
      const checked = checkProgram(`examples/${ex.file}`, fileSystemHost(), { bindings, entry: ex.network });
      expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const graph = concretize(checked.graphs[0]!, bindings).graph!;
      const weights: WeightStore = new Map();
      for (const n of graph.nodes) {
        for (const p of Object.values(n.params)) {
          const v = p.name.endsWith('running_var');
          weights.set(p.name, detTensor(p.name, p.shape, v ? 0.5 : -0.05, v ? 1.5 : 0.05));
        }
      }
      if (ex.run) await compareWithOrt(graph, weights, 17, ex.network);
      else await runOrt(exportOnnx(graph, weights), randomInputs(graph));
      expectRoundTrip(graph, weights, `${ex.network}.onnx`, false, true);
    });
  }
});
