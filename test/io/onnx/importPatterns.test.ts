/**
 * Node patterns PyTorch 1.13's exporter writes, imported from hand-made ONNX files: the flatten
 * forms (`x.view(x.size(0), -1)` as Shape -> Gather -> Unsqueeze -> Concat -> Reshape, a
 * constant Reshape, Squeeze of unit axes, Cast on the way), Sub / Div with initializer
 * constants (`(x - mean) / std`), ReduceMean / ReduceMax with axes as attribute or input,
 * Gemm's attributes, and what is refused with a diagnostic.
 */
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../../src/interp/run.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { AttributeType, DataType, onnx, type IAttributeProto, type INodeProto, type ITensorProto } from '../../../src/io/onnx/proto.ts';
import { relativeL2, type Tensor } from '../../../src/ir/tensor.ts';

const vi = (name: string, dims: number[]) => ({
  name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});
const floats = (name: string, dims: number[], values: number[]): ITensorProto => ({ name, dims, dataType: DataType.FLOAT, floatData: values });
const int64s = (name: string, values: number[], dims = [values.length]): ITensorProto => ({ name, dims, dataType: DataType.INT64, int64Data: values });
const ints = (name: string, v: number[]): IAttributeProto => ({ name, type: AttributeType.INTS, ints: v });
const int = (name: string, v: number): IAttributeProto => ({ name, type: AttributeType.INT, i: v });
const node = (opType: string, input: string[], output: string, attribute: IAttributeProto[] = []): INodeProto =>
  ({ name: `/${opType}_${output}`, opType, input, output: [output], attribute });

function model(nodes: INodeProto[], init: ITensorProto[], inShape: number[], opset: number): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opset }],
    graph: { name: 'g', node: nodes, initializer: init, input: [vi('x', inShape)], output: [{ name: 'y' }] },
  })).finish();
}

function imported(bytes: Uint8Array) {
  const r = importOnnx(bytes, { file: 'pattern.onnx' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r;
}

function run(bytes: Uint8Array, x: Tensor): { ops: string[]; y: Tensor } {
  const r = imported(bytes);
  return { ops: r.graph!.nodes.map((n) => n.op), y: [...runGraph(r.graph!, r.weights!, [x]).values()][0]! };
}

function refused(bytes: Uint8Array): string {
  const r = importOnnx(bytes, { file: 'pattern.onnx' });
  expect(r.graph).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  return `${r.diagnostics[0]!.code}: ${r.diagnostics[0]!.message}`;
}

const x = detTensor('pattern/x', [2, 3, 4, 4], -1, 1);

describe('flatten forms fold at import', () => {
  for (const opset of [11, 13]) {
    it(`x.view(x.size(0), -1): Shape -> Gather -> Unsqueeze -> Concat -> Reshape (opset ${opset})`, () => {
      const unsqueeze = opset >= 13
        ? node('Unsqueeze', ['n', 'axes0'], 'n1')
        : node('Unsqueeze', ['n'], 'n1', [ints('axes', [0])]);
      const nodes = [
        node('Relu', ['x'], 'r'),
        node('Shape', ['r'], 's'),
        node('Gather', ['s', 'zero'], 'n', [int('axis', 0)]),
        unsqueeze,
        node('Concat', ['n1', 'minus1'], 'shape', [int('axis', 0)]),
        node('Cast', ['shape'], 'shape64', [int('to', 7)]),
        node('Reshape', ['r', 'shape64'], 'y'),
      ];
      const init = [int64s('zero', [0], []), int64s('minus1', [-1]), int64s('axes0', [0])];
      const { ops, y } = run(model(nodes, init, [2, 3, 4, 4], opset), x);
      expect(ops).toEqual(['relu', 'flatten']);
      expect(y.shape).toEqual([2, 48]);
      expect(y.data).toEqual(Float32Array.from(x.data, (v) => Math.max(v, 0)));
    });
  }

  it('shape arithmetic on constants folds: [N, C // 3 * 48] from Shape, Div and Mul', () => {
    const nodes = [
      node('Shape', ['x'], 's'),
      node('Gather', ['s', 'idx'], 'nc', [int('axis', 0)]),
      node('Div', ['nc', 'by'], 'q'),
      node('Mul', ['q', 'times'], 'shape'),
      node('Reshape', ['x', 'shape'], 'y'),
    ];
    const init = [int64s('idx', [0, 1]), int64s('by', [1, 3]), int64s('times', [1, 48])];
    const { ops, y } = run(model(nodes, init, [2, 3, 4, 4], 13), x);
    expect(ops).toEqual(['flatten']);
    expect(y.shape).toEqual([2, 48]);
  });

  it('Reshape to a constant [-1, C] and Squeeze of unit axes (axes as attribute and as input)', () => {
    const pooled = [node('GlobalAveragePool', ['x'], 'p')];
    const reshape = run(model([...pooled, node('Reshape', ['p', 'shape'], 'y')], [int64s('shape', [-1, 3])], [2, 3, 4, 4], 17), x);
    expect(reshape.ops).toEqual(['adaptive_avgpool', 'flatten']);
    expect(reshape.y.shape).toEqual([2, 3]);
    const sq11 = run(model([...pooled, node('Squeeze', ['p'], 'y', [ints('axes', [2, 3])])], [], [2, 3, 4, 4], 11), x);
    const sq13 = run(model([...pooled, node('Squeeze', ['p', 'axes'], 'y')], [int64s('axes', [-1, -2])], [2, 3, 4, 4], 13), x);
    expect(sq11.ops).toEqual(['adaptive_avgpool', 'flatten']);
    expect(sq11.y).toEqual(reshape.y);
    expect(sq13.y).toEqual(reshape.y);
  });

  it('Unsqueeze of a computed tensor and Squeeze of a non-unit axis are refused', () => {
    expect(refused(model([node('Unsqueeze', ['x', 'a'], 'y')], [int64s('a', [0])], [2, 3, 4, 4], 13))).toMatch(/NET5011.*unit axes to a computed tensor/);
    expect(refused(model([node('Squeeze', ['x', 'a'], 'y')], [int64s('a', [1])], [2, 3, 4, 4], 13))).toMatch(/NET5012.*not all of size 1/);
  });
});

describe('elementwise with constants and reductions', () => {
  const mean = [0.485, 0.456, 0.406];
  const std = [0.229, 0.224, 0.225];

  it('(x - mean) / std with [1, 3, 1, 1] initializers: sub and div owning their constants', () => {
    const nodes = [node('Sub', ['x', 'mean'], 'c'), node('Div', ['c', 'std'], 'y')];
    const init = [floats('mean', [1, 3, 1, 1], mean), floats('std', [1, 3, 1, 1], std)];
    const r = imported(model(nodes, init, [2, 3, 4, 4], 11));
    expect(r.graph!.nodes.map((n) => [n.op, n.attrs, Object.keys(n.params)])).toEqual([
      ['sub', { constant: [1, 3, 1, 1] }, ['value']], ['div', { constant: [1, 3, 1, 1] }, ['value']],
    ]);
    const y = [...runGraph(r.graph!, r.weights!, [x]).values()][0]!;
    const want = Float32Array.from(x.data, (v, i) => {
      const ch = Math.floor(i / 16) % 3;
      return Math.fround(Math.fround(v - Math.fround(mean[ch]!)) / Math.fround(std[ch]!));
    });
    expect(relativeL2(y.data, want)).toBe(0);
    expect(r.source).toContain('sub(shape=(1, 3, 1, 1))');
    expect(r.source).toContain('divide(shape=(1, 3, 1, 1))');
  });

  it('a scalar constant, and a constant first operand of Mul (commutes) and of Sub (refused)', () => {
    const r = imported(model([node('Mul', ['two', 'x'], 'y')], [floats('two', [], [2])], [2, 3, 4, 4], 17));
    expect(r.graph!.nodes[0]!.attrs).toEqual({ constant: [1] });
    expect([...runGraph(r.graph!, r.weights!, [x]).values()][0]!.data).toEqual(Float32Array.from(x.data, (v) => 2 * v));
    expect(refused(model([node('Sub', ['one', 'x'], 'y')], [floats('one', [1], [1])], [2, 3, 4, 4], 17))).toMatch(/NET5011.*first operand/);
    expect(refused(model([node('Add', ['x', 'big'], 'y')], [floats('big', [2, 2, 3, 4, 4], new Array(192).fill(0))], [2, 3, 4, 4], 17))).toMatch(/NET5011.*enlarge/);
  });

  it('ReduceMean with axes as attribute (opset 17) and as input (opset 18), keepdims 0 and 1; ReduceMax', () => {
    const a17 = run(model([node('ReduceMean', ['x'], 'y', [ints('axes', [2, 3]), int('keepdims', 0)])], [], [2, 3, 4, 4], 17), x);
    const a18 = run(model([node('ReduceMean', ['x', 'axes'], 'y', [int('keepdims', 1)])], [int64s('axes', [-2, -1])], [2, 3, 4, 4], 18), x);
    expect(a17.ops).toEqual(['reduce_mean']);
    expect(a17.y.shape).toEqual([2, 3]);
    expect(a18.y.shape).toEqual([2, 3, 1, 1]);
    expect(a18.y.data).toEqual(a17.y.data);
    const sums = new Array(6).fill(0);
    x.data.forEach((v, i) => { sums[Math.floor(i / 16)] += v; });
    expect(relativeL2(a17.y.data, Float32Array.from(sums, (s) => s / 16))).toBeLessThan(1e-7);
    const mx = run(model([node('ReduceMax', ['x'], 'y', [ints('axes', [1])])], [], [2, 3, 4, 4], 13), x);
    expect(mx.y.shape).toEqual([2, 1, 4, 4]);
    expect(mx.y.data[0]).toBe(Math.max(x.data[0]!, x.data[16]!, x.data[32]!));
  });

  it('GlobalMaxPool and GlobalAveragePool of a 3-D input', () => {
    const v = detTensor('pattern/v', [1, 2, 3, 4, 5], -1, 1);
    const mx = run(model([node('GlobalMaxPool', ['x'], 'y')], [], [1, 2, 3, 4, 5], 17), v);
    const av = run(model([node('GlobalAveragePool', ['x'], 'y')], [], [1, 2, 3, 4, 5], 17), v);
    expect([mx.ops, av.ops]).toEqual([['adaptive_maxpool'], ['adaptive_avgpool']]);
    expect(mx.y.shape).toEqual([1, 2, 1, 1, 1]);
    const channel = (c: number) => Array.from(v.data.subarray(c * 60, (c + 1) * 60));
    expect(Array.from(mx.y.data)).toEqual([0, 1].map((c) => Math.max(...channel(c))));
    const means = [0, 1].map((c) => channel(c).reduce((p, q) => p + q, 0) / 60);
    expect(relativeL2(av.y.data, Float32Array.from(means))).toBeLessThan(1e-6);
  });

  it('Gemm with transA is refused with the reason', () => {
    const g = node('Gemm', ['f', 'w'], 'y', [int('transA', 1)]);
    expect(refused(model([node('Flatten', ['x'], 'f'), g], [floats('w', [48, 2], new Array(96).fill(0.1))], [2, 3, 4, 4], 13))).toMatch(/NET5011.*transA/);
  });
});
