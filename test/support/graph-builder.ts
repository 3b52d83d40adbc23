/**
 * Builds small concrete IR graphs with random weights for pass and backend tests, without
 * going through the language. Shapes follow the PyTorch rules for the few operators it offers.
 */
import type { Graph, Node, ParamRef, ValueId, WeightStore } from '../../src/ir/graph.ts';
import { numel } from '../../src/ir/tensor.ts';
import type { Span } from '../../src/diag/span.ts';

export { randomTensor, rng } from './random.ts';
import { randomTensor } from './random.ts';

const SPAN: Span = { file: 'test.net', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };

/** The activations the builder makes (every operator whose table entry has a formula). */
export type ActivationName = 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'leaky_relu' | 'clip' | 'hardsigmoid' | 'hardswish' | 'silu' | 'gelu' | 'elu';

export class GraphBuilder {
  readonly graph: Graph = { name: 'test', values: [], nodes: [], inputs: [], outputs: [] };
  readonly weights: WeightStore = new Map();
  private counter = 0;
  constructor(private readonly rand: () => number) {}

  private value(shape: number[], name?: string): ValueId {
    const id = this.graph.values.length;
    this.graph.values.push({ id, name: name ?? `v${id}`, shape });
    return id;
  }

  private node(op: string, inputs: ValueId[], outShape: number[], attrs: Record<string, unknown>, params: Record<string, ParamRef> = {}, name?: string): ValueId {
    const out = this.value(outShape);
    const id = this.graph.nodes.length;
    const node = { id, op, name: name ?? `${op}${++this.counter}`, inputs, outputs: [out], attrs, params, span: { ...SPAN, start: { ...SPAN.start, line: id + 1 } }, instances: [] } as Node;
    this.graph.nodes.push(node);
    this.graph.values[out]!.producer = id;
    return out;
  }

  shape(v: ValueId): number[] {
    return this.graph.values[v]!.shape;
  }

  private param(name: string, shape: number[], lo = -0.5, hi = 0.5, trainable = true): ParamRef {
    this.weights.set(name, randomTensor(shape, this.rand, lo, hi));
    return { name, shape, trainable };
  }

  input(shape: number[], name = 'x'): ValueId {
    const v = this.value(shape, name);
    this.graph.inputs.push({ name, value: v });
    return v;
  }

  output(v: ValueId, name = `y${this.graph.outputs.length}`): void {
    this.graph.outputs.push({ name, value: v });
  }

  conv(x: ValueId, out: number, k: number, o: { stride?: number; pad?: number; groups?: number; bias?: boolean; dilation?: number } = {}): ValueId {
    const [n, c, ...sp] = this.shape(x) as [number, number, ...number[]];
    const rank = sp.length as 1 | 2 | 3;
    const stride = o.stride ?? 1;
    const pad = o.pad ?? 0;
    const dil = o.dilation ?? 1;
    const groups = o.groups ?? 1;
    const bias = o.bias ?? true;
    const outSp = sp.map((s) => Math.floor((s + 2 * pad - dil * (k - 1) - 1) / stride) + 1);
    const name = `conv${++this.counter}`;
    const kernel = sp.map(() => k);
    const params: Record<string, ParamRef> = { weight: this.param(`${name}.weight`, [out, c / groups, ...kernel]) };
    if (bias) params.bias = this.param(`${name}.bias`, [out], -0.1, 0.1);
    const attrs = { rank, outChannels: out, kernel, stride: sp.map(() => stride), padBegin: sp.map(() => pad), padEnd: sp.map(() => pad), dilation: sp.map(() => dil), groups, bias };
    return this.node('conv', [x], [n, out, ...outSp], attrs, params, name);
  }

  convTranspose(x: ValueId, out: number, k: number, o: { stride?: number; pad?: number; bias?: boolean } = {}): ValueId {
    const [n, c, ...sp] = this.shape(x) as [number, number, ...number[]];
    const stride = o.stride ?? 1;
    const pad = o.pad ?? 0;
    const bias = o.bias ?? true;
    const outSp = sp.map((s) => (s - 1) * stride - 2 * pad + (k - 1) + 1);
    const name = `convT${++this.counter}`;
    const kernel = sp.map(() => k);
    const params: Record<string, ParamRef> = { weight: this.param(`${name}.weight`, [c, out, ...kernel]) };
    if (bias) params.bias = this.param(`${name}.bias`, [out], -0.1, 0.1);
    const attrs = { rank: sp.length, outChannels: out, kernel, stride: sp.map(() => stride), pad: sp.map(() => pad), outputPad: sp.map(() => 0), dilation: sp.map(() => 1), groups: 1, bias };
    return this.node('conv_transpose', [x], [n, out, ...outSp], attrs, params, name);
  }

  batchnorm(x: ValueId): ValueId {
    const c = this.shape(x)[1]!;
    const name = `bn${++this.counter}`;
    const params = {
      weight: this.param(`${name}.weight`, [c], 0.5, 1.5),
      bias: this.param(`${name}.bias`, [c], -0.1, 0.1),
      running_mean: this.param(`${name}.running_mean`, [c], -0.1, 0.1, false),
      running_var: this.param(`${name}.running_var`, [c], 0.5, 1.5, false),
    };
    return this.node('batchnorm', [x], [...this.shape(x)], { eps: 1e-5 }, params, name);
  }

  activation(x: ValueId, op: ActivationName = 'relu', attrs: Record<string, unknown> = {}): ValueId {
    const defaults: Partial<Record<ActivationName, Record<string, unknown>>> = {
      leaky_relu: { slope: 0.1 }, clip: { min: -0.5, max: 0.5 }, hardsigmoid: { alpha: 1 / 6, beta: 0.5 }, gelu: { approximate: 'none' }, elu: { alpha: 1 },
    };
    const a = { ...defaults[op], ...attrs };
    return this.node(op, [x], [...this.shape(x)], a);
  }

  /** PReLU with `slopes` random slopes (1 or the channel count). */
  prelu(x: ValueId, slopes: number): ValueId {
    const name = `prelu${++this.counter}`;
    return this.node('prelu', [x], [...this.shape(x)], { slopes }, { weight: this.param(`${name}.weight`, [slopes], -0.5, 0.5) }, name);
  }

  add(a: ValueId, b: ValueId): ValueId {
    return this.node('add', [a, b], [...this.shape(a)], {});
  }

  mul(a: ValueId, b: ValueId): ValueId {
    return this.node('mul', [a, b], [...this.shape(a)], {});
  }

  /** add/sub/mul/div with NumPy broadcasting of the two operands. */
  binary(op: 'add' | 'sub' | 'mul' | 'div', a: ValueId, b: ValueId): ValueId {
    const [sa, sb] = [this.shape(a), this.shape(b)];
    const rank = Math.max(sa.length, sb.length);
    const out = [...Array(rank).keys()].map((i) => Math.max(sa[sa.length - rank + i] ?? 1, sb[sb.length - rank + i] ?? 1));
    return this.node(op, [a, b], out, {});
  }

  globalAvgpool(x: ValueId): ValueId {
    const [n, c, ...sp] = this.shape(x) as [number, number, ...number[]];
    return this.node('adaptive_avgpool', [x], [n, c, ...sp.map(() => 1)], { rank: sp.length, size: sp.map(() => 1) });
  }

  concat(xs: ValueId[]): ValueId {
    const s = [...this.shape(xs[0]!)];
    s[1] = xs.reduce((acc, v) => acc + this.shape(v)[1]!, 0);
    return this.node('concat', xs, s, { axis: 1 });
  }

  maxpool(x: ValueId, k: number, stride: number, pad: number): ValueId {
    const [n, c, ...sp] = this.shape(x) as [number, number, ...number[]];
    const outSp = sp.map((s) => Math.floor((s + 2 * pad - (k - 1) - 1) / stride) + 1);
    const attrs = { rank: sp.length, kernel: sp.map(() => k), stride: sp.map(() => stride), pad: sp.map(() => pad), dilation: sp.map(() => 1), ceil: false, countIncludePad: true };
    return this.node('maxpool', [x], [n, c, ...outSp], attrs);
  }

  dropout(x: ValueId): ValueId {
    return this.node('dropout', [x], [...this.shape(x)], { p: 0.5 });
  }

  identity(x: ValueId): ValueId {
    return this.node('identity', [x], [...this.shape(x)], {});
  }
}
