/**
 * Single-layer workloads (W1-W5): a one-node graph with deterministic weights and input,
 * and the three contenders built from it. netc compiles the graph with its code generator;
 * onnxruntime-web runs netc's ONNX export of the same graph; tfjs runs the matching op in
 * NHWC on transposed copies of the same weights.
 */
import type { Graph, Node, WeightStore } from '../src/ir/graph.ts';
import { numel, type Tensor } from '../src/ir/tensor.ts';
import type { ConvAttrs, ConvTransposeAttrs } from '../src/ops/attrs.ts';
import type { BuildOptions } from '../src/wasm/codegen.ts';
import type { Contender } from './contender.ts';
import { ortContender } from './peers/ort.ts';
import { loadTf, tfContender, toChannelsLast } from './peers/tfjs.ts';

export interface LayerWorkload {
  id: string;
  title: string;
  op: 'conv' | 'conv_transpose';
  x: number[];
  attrs: ConvAttrs | ConvTransposeAttrs;
}

const r = (n: number, v: number): number[] => new Array<number>(n).fill(v);

function conv(id: string, title: string, x: number[], cout: number, k: number, pad: number): LayerWorkload {
  const d = x.length - 2;
  const attrs: ConvAttrs = { rank: d as 2 | 3, outChannels: cout, kernel: r(d, k), stride: r(d, 1), padBegin: r(d, pad), padEnd: r(d, pad), dilation: r(d, 1), groups: 1, bias: true };
  return { id, title, op: 'conv', x, attrs };
}

/** A depthwise conv (groups = channels), k x k, as in MobileNetV2's inverted residual blocks. */
function depthwise(id: string, title: string, x: number[], k: number, stride: number, pad: number): LayerWorkload {
  const attrs: ConvAttrs = { rank: 2, outChannels: x[1]!, kernel: [k, k], stride: [stride, stride], padBegin: [pad, pad], padEnd: [pad, pad], dilation: [1, 1], groups: x[1]!, bias: true };
  return { id, title, op: 'conv', x, attrs };
}

function convT(id: string, title: string, x: number[], cout: number, k: number, s: number, p: number): LayerWorkload {
  const d = x.length - 2;
  const attrs: ConvTransposeAttrs = { rank: d as 2 | 3, outChannels: cout, kernel: r(d, k), stride: r(d, s), pad: r(d, p), outputPad: r(d, 0), dilation: r(d, 1), groups: 1, bias: true };
  return { id, title, op: 'conv_transpose', x, attrs };
}

export const LAYERS: LayerWorkload[] = [
  conv('W1', '1x1 conv 192->64, 28x28, bias', [1, 192, 28, 28], 64, 1, 0),
  conv('W2', '3x3 conv 64->64, 56x56, pad 1', [1, 64, 56, 56], 64, 3, 1),
  conv('W3', '1x1 conv 64->256, 56x56', [1, 64, 56, 56], 256, 1, 0),
  convT('W4a', 'conv_transpose k4 s2 p1 512->256, 4x4->8x8', [1, 512, 4, 4], 256, 4, 2, 1),
  convT('W4b', 'conv_transpose k4 s2 p1 128->64, 16x16->32x32', [1, 128, 16, 16], 64, 4, 2, 1),
  conv('W5', 'conv3d 3x3x3 16->16, 32^3, pad 1', [1, 16, 32, 32, 32], 16, 3, 1),
  // MobileNetV2's expanded 144-channel stage at 56x56: its stride-1 and stride-2 depthwise convs.
  depthwise('D1', 'depthwise 3x3 s1 144ch, 56x56, pad 1', [1, 144, 56, 56], 3, 1, 1),
  depthwise('D2', 'depthwise 3x3 s2 144ch, 56x56->28x28, pad 1', [1, 144, 56, 56], 3, 2, 1),
];

export function outShapeOf(w: LayerWorkload): number[] {
  const sp = w.x.slice(2);
  if (w.op === 'conv') {
    const a = w.attrs as ConvAttrs;
    return [w.x[0]!, a.outChannels, ...sp.map((v, i) => Math.floor((v + a.padBegin[i]! + a.padEnd[i]! - a.dilation[i]! * (a.kernel[i]! - 1) - 1) / a.stride[i]!) + 1)];
  }
  const a = w.attrs as ConvTransposeAttrs;
  return [w.x[0]!, a.outChannels, ...sp.map((v, i) => (v - 1) * a.stride[i]! - 2 * a.pad[i]! + a.dilation[i]! * (a.kernel[i]! - 1) + a.outputPad[i]! + 1)];
}

export function weightShapeOf(w: LayerWorkload): number[] {
  const k = w.attrs.kernel;
  const g = w.attrs.groups;
  return w.op === 'conv' ? [w.attrs.outChannels, w.x[1]! / g, ...k] : [w.x[1]!, w.attrs.outChannels / g, ...k];
}

/** Multiply-accumulates as PyTorch counting tools count them. */
export function macsOf(w: LayerWorkload): number {
  const kv = numel(w.attrs.kernel);
  const g = w.attrs.groups;
  if (w.op === 'conv') return numel(outShapeOf(w)) * (w.x[1]! / g) * kv;
  return numel(w.x) * (w.attrs.outChannels / g) * kv;
}

/** Uniform values in [lo, hi) from a seeded xorshift generator. */
export function seeded(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = lo + (hi - lo) * (s / 2 ** 32);
  }
  return out;
}

export interface LayerData {
  graph: Graph<number>;
  weights: WeightStore;
  input: Tensor;
}

export function layerData(w: LayerWorkload): LayerData {
  const wShape = weightShapeOf(w);
  const fanIn = numel(wShape) / wShape[w.op === 'conv' ? 0 : 1]!;
  const bound = 1 / Math.sqrt(fanIn);
  const weight: Tensor = { shape: wShape, data: seeded(numel(wShape), 7, -bound, bound) };
  const bias: Tensor = { shape: [w.attrs.outChannels], data: seeded(w.attrs.outChannels, 8, -bound, bound) };
  const input: Tensor = { shape: w.x, data: seeded(numel(w.x), 9) };
  // The workload pairs op and attrs (conv with ConvAttrs, conv_transpose with ConvTransposeAttrs).
  const node = {
    id: 0,
    op: w.op,
    name: 'layer',
    inputs: [0],
    outputs: [1],
    attrs: w.attrs,
    params: {
      weight: { name: 'layer.weight', shape: wShape, trainable: true },
      bias: { name: 'layer.bias', shape: [w.attrs.outChannels], trainable: true },
    },
    span: { file: 'bench', start: 0, end: 0 } as unknown as Node['span'],
    instances: [],
  } as Node<number>;
  const graph: Graph<number> = {
    name: w.id,
    values: [
      { id: 0, name: 'x', shape: w.x },
      { id: 1, name: 'y', shape: outShapeOf(w), producer: 0 },
    ],
    nodes: [node],
    inputs: [{ name: 'x', value: 0 }],
    outputs: [{ name: 'y', value: 1 }],
  };
  const weights: WeightStore = new Map([['layer.weight', weight], ['layer.bias', bias]]);
  return { graph, weights, input };
}

/** Whether netc would consider Winograd for the layer (2-D 3x3, stride 1): then a row also times it off. */
export function winogradCandidate(w: LayerWorkload): boolean {
  return w.op === 'conv' && w.attrs.groups === 1 && w.attrs.kernel.length === 2 && w.attrs.kernel.every((k) => k === 3) && (w.attrs as ConvAttrs).stride.every((s) => s === 1);
}

/**
 * netc: the code generator's module for the graph; a run copies the input in and the output
 * out. `name` and `options` make variants (Winograd off); `kernelOnly` times run() alone, without
 * the copies (the input is copied in once), for a kernel's share of the machine's peak.
 */
export async function netcContender(d: LayerData, name = 'netc', options: BuildOptions = {}, kernelOnly = false): Promise<Contender> {
  const { buildModule } = await import('../src/wasm/codegen.ts');
  const built = await buildModule(d.graph, d.weights, options);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(built.wasm), {});
  const run = inst.exports['run'] as () => void;
  const mem = inst.exports['memory'] as WebAssembly.Memory;
  const inPl = built.layout.inputs[0]!;
  const outPl = built.layout.outputs[0]!;
  const outN = numel(outPl.shape);
  let last: Float32Array = new Float32Array(0);
  return {
    name,
    run() {
      if (kernelOnly) {
        // The input stays in memory from the first run: this times the kernel alone.
        if (last.length === 0) new Float32Array(mem.buffer, inPl.offset, d.input.data.length).set(d.input.data);
        run();
        if (last.length === 0) last = new Float32Array(mem.buffer, outPl.offset, outN).slice();
        return;
      }
      new Float32Array(mem.buffer, inPl.offset, d.input.data.length).set(d.input.data);
      run();
      last = new Float32Array(mem.buffer, outPl.offset, outN).slice();
    },
    output: () => last,
  };
}

export async function ortLayerContender(d: LayerData): Promise<Contender> {
  const { exportOnnx } = await import('../src/io/onnx/export.ts');
  const model = exportOnnx(d.graph, d.weights, { opset: 17 });
  return ortContender(model, [{ name: 'x', shape: d.input.shape, data: d.input.data }]);
}

/** Weight [Cout, Cin, k...] -> tf filter [k..., Cin, Cout]; transposed [Cin, Cout, k...] -> [k..., Cout, Cin]. */
function tfFilter(data: Float32Array, shape: number[]): Float32Array {
  const [a, b] = shape as [number, number];
  const kv = numel(shape.slice(2));
  const out = new Float32Array(data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) for (let k = 0; k < kv; k++) {
    // conv: i = co, j = ci -> [k][ci][co]; transposed: i = ci, j = co -> [k][co][ci]: the same move.
    out[(k * b + j) * a + i] = data[(i * b + j) * kv + k]!;
  }
  return out;
}

export async function tfLayerContender(w: LayerWorkload, d: LayerData): Promise<Contender> {
  const tf = await loadTf();
  const weight = d.weights.get('layer.weight')!;
  const bias = d.weights.get('layer.bias')!;
  const sp = w.x.slice(2);
  const xT = tf.tensor(toChannelsLast(d.input.data, w.x), [w.x[0]!, ...sp, w.x[1]!]);
  const k = w.attrs.kernel;
  const filter = tf.tensor(tfFilter(weight.data, weight.shape), [...k, weight.shape[1]!, weight.shape[0]!]);
  const b = tf.tensor(bias.data, [bias.shape[0]!]);
  const outShape = outShapeOf(w);
  if (w.op === 'conv') {
    const a = w.attrs as ConvAttrs;
    const pad = a.padBegin[0]!;
    if (a.rank === 2 && a.groups > 1) {
      // tf's depthwise filter is [kH, kW, C, multiplier]: PyTorch's [C, 1, kH, kW] moved.
      if (a.groups !== w.x[1] || a.outChannels !== w.x[1]) throw new Error('tfjs: only depthwise grouped convs are mapped');
      const dwFilter = tf.tensor(tfFilter(weight.data, weight.shape), [...k, weight.shape[0]!, 1]);
      const st = a.stride[0]!;
      // A number pads that much on every side (PyTorch's symmetric padding).
      return tfContender((t) => () => t.fused.depthwiseConv2d({ x: xT as never, filter: dwFilter as never, strides: st, pad, bias: b }), outShape);
    }
    if (a.rank === 2) {
      const padArg = pad === 0 ? 'valid' : ([[0, 0], [pad, pad], [pad, pad], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]);
      return tfContender((t) => () => t.fused.conv2d({ x: xT as never, filter: filter as never, strides: 1, pad: padArg, bias: b }), outShape);
    }
    // tf.conv3d has no explicit padding: 'same' equals pad 1 for k=3, stride 1.
    if (!(k[0] === 3 && pad === 1)) throw new Error('tfjs conv3d: only k=3 pad=1 is mapped');
    return tfContender((t) => () => t.add(t.conv3d(xT as never, filter as never, 1, 'same'), b), outShape);
  }
  const a = w.attrs as ConvTransposeAttrs;
  // 'same' with k=4, s=2 pads 1 on each side: PyTorch's p=1.
  if (!(k[0] === 4 && a.stride[0] === 2 && a.pad[0] === 1)) throw new Error('tfjs conv_transpose: only k=4 s=2 p=1 is mapped');
  const oshape = [outShape[0]!, ...outShape.slice(2), outShape[1]!] as [number, number, number, number];
  return tfContender((t) => () => t.add(t.conv2dTranspose(xT as never, filter as never, oshape, 2, 'same'), b), outShape);
}
