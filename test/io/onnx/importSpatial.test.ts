/**
 * The ONNX forms of the spatial and channel operators, built by hand: Split with sizes as an
 * attribute (opset < 13), as an input (13) and as num_outputs (18); Slice with constant
 * starts/ends/axes; Pad with pads and value as inputs; a Resize whose sizes come from
 * Concat(Slice(Shape(x)), [H, W]); the Reshape/Transpose/Reshape of a channel shuffle;
 * torch.chunk's ends computed from the input's shape; Gather of channels of a computed tensor
 * (with the Unsqueeze that restores the axis). Each imports to the expected operators and runs
 * like the reference kernels compose.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { AttributeType, DataType, onnx, type INodeProto, type ITensorProto } from '../../../src/io/onnx/proto.ts';
import { runGraph } from '../../../src/interp/run.ts';
import type { Tensor } from '../../../src/ir/tensor.ts';
import { opByName } from '../../../src/ops/registry.ts';
import { randomTensor, rng } from '../../wasm/harness.ts';
import { runOrt } from './helpers.ts';
import { relativeL2 } from '../../../src/ir/tensor.ts';

const vi = (name: string, dims: number[]) => ({
  name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});
const i64 = (name: string, v: number[]): ITensorProto => ({ name, dims: [v.length], dataType: DataType.INT64, int64Data: v });
const ints = (name: string, v: number[]) => ({ name, type: AttributeType.INTS, ints: v });
const int = (name: string, v: number) => ({ name, type: AttributeType.INT, i: v });
const str = (name: string, v: string) => ({ name, type: AttributeType.STRING, s: new TextEncoder().encode(v) });

/** `recorded`: shapes the file records for intermediate values (value_info, as shape inference writes). */
function model(nodes: INodeProto[], init: ITensorProto[], outputs: string[], opset: number, input = [1, 8, 4, 5], recorded: Record<string, number[]> = {}): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ domain: '', version: opset }],
    graph: {
      name: 'g', node: nodes, initializer: init, input: [vi('x', input)], output: outputs.map((name) => ({ name })),
      valueInfo: Object.entries(recorded).map(([name, dims]) => vi(name, dims)),
    },
  })).finish();
}

function run(bytes: Uint8Array, x: Tensor) {
  const r = importOnnx(bytes, { file: 'm.onnx' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { graph: r.graph!, out: runGraph(r.graph!, r.weights!, [x]) };
}

const x = randomTensor([1, 8, 4, 5], rng(3));
const sliceOf = (t: Tensor, axis: number, start: number, length: number) =>
  opByName('slice').interp([t], {}, { axis, start, length }, t.shape.map((d, i) => (i === axis ? length : d)));

describe('ONNX import of spatial and channel operators', () => {
  const splitForms: [string, number, INodeProto, ITensorProto[]][] = [
    ['split attribute (opset 11)', 11, { name: 's', opType: 'Split', input: ['x'], output: ['a', 'b'], attribute: [int('axis', 1), ints('split', [3, 5])] }, []],
    ['split input (opset 13)', 13, { name: 's', opType: 'Split', input: ['x', 'sizes'], output: ['a', 'b'], attribute: [int('axis', 1)] }, [i64('sizes', [3, 5])]],
  ];
  for (const [label, opset, node, init] of splitForms) {
    it(`Split with ${label} gives two channel slices`, () => {
      const { graph, out } = run(model([node], init, ['a', 'b'], opset), x);
      expect(graph.nodes.map((n) => n.op)).toEqual(['slice', 'slice']);
      expect(out.get('a')!.data).toEqual(sliceOf(x, 1, 0, 3).data);
      expect(out.get('b')!.data).toEqual(sliceOf(x, 1, 3, 5).data);
    });
  }

  it('Split into equal parts (no sizes) and num_outputs (opset 18, chunk sizes)', () => {
    const eq = run(model([{ name: 's', opType: 'Split', input: ['x'], output: ['a', 'b'], attribute: [int('axis', 1)] }], [], ['a', 'b'], 13), x);
    expect(eq.out.get('b')!.data).toEqual(sliceOf(x, 1, 4, 4).data);
    const chunk = run(model([{ name: 's', opType: 'Split', input: ['x'], output: ['a', 'b', 'c'], attribute: [int('axis', 1), int('num_outputs', 3)] }], [], ['a', 'b', 'c'], 18), x);
    expect(chunk.graph.values[chunk.graph.outputs[2]!.value]!.shape).toEqual([1, 2, 4, 5]);
    expect(chunk.out.get('c')!.data).toEqual(sliceOf(x, 1, 6, 2).data);
  });

  it('Slice with negative and clamped ends on the width axis', () => {
    const node: INodeProto = { name: 'sl', opType: 'Slice', input: ['x', 'st', 'en', 'ax'], output: ['y'] };
    const { graph, out } = run(model([node], [i64('st', [1]), i64('en', [1_000_000_000]), i64('ax', [-1])], ['y'], 13), x);
    expect(graph.nodes[0]!.attrs).toMatchObject({ axis: 3, start: 1, length: 4 });
    expect(out.get('y')!.data).toEqual(sliceOf(x, 3, 1, 4).data);
  });

  it('Pad with pads and constant_value inputs, and edge mode', () => {
    const nodes: INodeProto[] = [
      { name: 'p', opType: 'Pad', input: ['x', 'pads', 'v'], output: ['y'], attribute: [str('mode', 'constant')] },
      { name: 'e', opType: 'Pad', input: ['x', 'pads2'], output: ['z'], attribute: [str('mode', 'edge')] },
    ];
    const init = [i64('pads', [0, 0, 1, -1, 0, 0, 2, 0]), { name: 'v', dims: [], dataType: DataType.FLOAT, floatData: [0.25] }, i64('pads2', [0, 0, 0, 2, 0, 0, 1, 0])];
    const { graph, out } = run(model(nodes, init, ['y', 'z'], 13), x);
    expect(graph.nodes.map((n) => n.attrs)).toEqual([
      { rank: 2, mode: 'constant', begin: [1, -1], end: [2, 0], value: 0.25 },
      { rank: 2, mode: 'replicate', begin: [0, 2], end: [1, 0], value: 0 },
    ]);
    expect(out.get('y')!.shape).toEqual([1, 8, 7, 4]);
    expect(out.get('y')!.data[0]).toBe(0.25);
    expect(out.get('z')!.shape).toEqual([1, 8, 5, 7]);
  });

  it('Resize sizes from Concat(Slice(Shape(x), 0, 2), [H, W]) fold to constants', () => {
    const nodes: INodeProto[] = [
      { name: 'sh', opType: 'Shape', input: ['x'], output: ['s'] },
      { name: 'sl', opType: 'Slice', input: ['s', 'z', 'two', 'z'], output: ['nc'] },
      { name: 'cat', opType: 'Concat', input: ['nc', 'hw'], output: ['sizes'], attribute: [int('axis', 0)] },
      { name: 'r', opType: 'Resize', input: ['x', '', '', 'sizes'], output: ['y'], attribute: [str('mode', 'linear'), str('coordinate_transformation_mode', 'half_pixel')] },
    ];
    const { graph } = run(model(nodes, [i64('z', [0]), i64('two', [2]), i64('hw', [9, 11])], ['y'], 13), x);
    expect(graph.nodes.map((n) => n.op)).toEqual(['upsample']);
    expect(graph.values[graph.outputs[0]!.value]!.shape).toEqual([1, 8, 9, 11]);
  });

  it('Reshape -> Transpose -> Reshape of a channel shuffle is one channel_shuffle', () => {
    const nodes: INodeProto[] = [
      { name: 'r1', opType: 'Reshape', input: ['x', 'g'], output: ['a'] },
      { name: 't', opType: 'Transpose', input: ['a'], output: ['b'], attribute: [ints('perm', [0, 2, 1, 3, 4])] },
      { name: 'r2', opType: 'Reshape', input: ['b', 'back'], output: ['y'] },
    ];
    const recorded = { a: [1, 2, 4, 4, 5], b: [1, 4, 2, 4, 5] };
    const { graph, out } = run(model(nodes, [i64('g', [1, 2, 4, 4, 5]), i64('back', [1, -1, 4, 5])], ['y'], 11, undefined, recorded), x);
    expect(graph.nodes.map((n) => [n.op, n.attrs])).toEqual([['channel_shuffle', { groups: 2 }]]);
    expect(out.get('y')!.data).toEqual(opByName('channel_shuffle').interp([x], {}, { groups: 2 }, x.shape).data);
  });

  it('torch.chunk(x, 3, dim=1) as exported at opset 11 (ends from Shape, Gather, Add, Div, Mul) is three slices, like onnxruntime', async () => {
    // (C + 2) / 3 with C = 8 is 10 / 3, which ONNX's integer division truncates to 3.
    const nodes: INodeProto[] = [
      { name: 'sh', opType: 'Shape', input: ['x'], output: ['s'] },
      { name: 'g', opType: 'Gather', input: ['s', 'one'], output: ['c'], attribute: [int('axis', 0)] },
      { name: 'a', opType: 'Add', input: ['c', 'two'], output: ['c2'] },
      { name: 'd', opType: 'Div', input: ['c2', 'three'], output: ['q'] },
      ...[1, 2, 3].map((k): INodeProto => ({ name: `m${k}`, opType: 'Mul', input: ['q', `k${k}`], output: [`e${k}`] })),
      { name: 's1', opType: 'Slice', input: ['x', 'zero', 'e1', 'one'], output: ['y1'] },
      { name: 's2', opType: 'Slice', input: ['x', 'e1', 'e2', 'one'], output: ['y2'] },
      { name: 's3', opType: 'Slice', input: ['x', 'e2', 'e3', 'one'], output: ['y3'] },
    ];
    const init = [i64('zero', [0]), i64('one', [1]), i64('two', [2]), i64('three', [3]), i64('k1', [1]), i64('k2', [2]), i64('k3', [3])];
    const bytes = model(nodes, init, ['y1', 'y2', 'y3'], 11);
    const { graph, out } = run(bytes, x);
    expect(graph.nodes.map((n) => [n.op, n.attrs])).toEqual([
      ['slice', { axis: 1, start: 0, length: 3 }], ['slice', { axis: 1, start: 3, length: 3 }], ['slice', { axis: 1, start: 6, length: 2 }],
    ]);
    const ort = await runOrt(bytes, { x });
    for (const y of ['y1', 'y2', 'y3']) expect([...out.get(y)!.data]).toEqual([...ort.get(y)!.data]);
  });

  const i64Scalar = (name: string, v: number): ITensorProto => ({ name, dims: [], dataType: DataType.INT64, int64Data: [v] });
  for (const opset of [11, 13]) {
    it(`Gather of one channel followed by Unsqueeze of that axis is a slice of length 1 (opset ${opset}), like onnxruntime`, async () => {
      // torchvision's transform_input: torch.unsqueeze(x[:, 2], 1) * 0.5 + 0.1, one per channel, concatenated.
      const unsqueeze = (input: string, output: string): INodeProto => (opset >= 13
        ? { name: output, opType: 'Unsqueeze', input: [input, 'one'], output: [output] }
        : { name: output, opType: 'Unsqueeze', input: [input], output: [output], attribute: [ints('axes', [1])] });
      const nodes: INodeProto[] = [
        { name: 'g0', opType: 'Gather', input: ['x', 'c2'], output: ['g'], attribute: [int('axis', 1)] },
        unsqueeze('g', 'u'),
        { name: 'g1', opType: 'Gather', input: ['x', 'cm1'], output: ['h'], attribute: [int('axis', -3)] },
        unsqueeze('h', 'v'),
        { name: 'cat', opType: 'Concat', input: ['u', 'v'], output: ['y'], attribute: [int('axis', 1)] },
      ];
      // The file records the Gather outputs with the axis dropped, as shape inference writes them.
      const recorded = { g: [1, 4, 5], h: [1, 4, 5], u: [1, 1, 4, 5] };
      const bytes = model(nodes, [i64Scalar('c2', 2), i64Scalar('cm1', -1), ...(opset >= 13 ? [i64('one', [1])] : [])], ['y'], opset, undefined, recorded);
      const { graph, out } = run(bytes, x);
      expect(graph.nodes.map((n) => [n.op, n.attrs])).toEqual([
        ['slice', { axis: 1, start: 2, length: 1 }], ['slice', { axis: 1, start: 7, length: 1 }], ['concat', { axis: 1 }],
      ]);
      const expected = [...sliceOf(x, 1, 2, 1).data, ...sliceOf(x, 1, 7, 1).data];
      expect([...out.get('y')!.data]).toEqual(expected);
      expect([...(await runOrt(bytes, { x })).get('y')!.data]).toEqual(expected);
    });
  }

  it('Gather of consecutive channels (1-D indices) is a slice', () => {
    const node: INodeProto = { name: 'g', opType: 'Gather', input: ['x', 'idx'], output: ['y'], attribute: [int('axis', 1)] };
    const { graph, out } = run(model([node], [i64('idx', [3, 4, 5])], ['y'], 13), x);
    expect(graph.nodes.map((n) => [n.op, n.attrs])).toEqual([['slice', { axis: 1, start: 3, length: 3 }]]);
    expect(out.get('y')!.data).toEqual(sliceOf(x, 1, 3, 3).data);
  });

  it('Gather of a computed tensor that is no slice is refused with the reason', () => {
    const reasonOf = (nodes: INodeProto[], init: ITensorProto[], outputs: string[]) => {
      const r = importOnnx(model(nodes, init, outputs, 13), { file: 'm.onnx' });
      expect(r.graph).toBeUndefined();
      return r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
    };
    const gather = (idx: string, axis = 1): INodeProto => ({ name: 'g', opType: 'Gather', input: ['x', idx], output: ['y'], attribute: [int('axis', axis)] });
    // The axis a scalar index drops is not put back.
    expect(reasonOf([gather('c')], [i64Scalar('c', 2)], ['y'])).toMatch(/NET5011 .*only an Unsqueeze that puts it back/);
    expect(reasonOf([gather('c'), { name: 'u', opType: 'Unsqueeze', input: ['y', 'two'], output: ['z'] }], [i64Scalar('c', 2), i64('two', [2])], ['z']))
      .toMatch(/NET5011 .*only an Unsqueeze that puts it back/);
    expect(reasonOf([gather('idx')], [i64('idx', [0, 2])], ['y'])).toMatch(/NET5011 .*indices \[0, 2\] are not consecutive/);
    expect(reasonOf([gather('idx')], [i64('idx', [8])], ['y'])).toMatch(/NET5011 .*outside an axis of size 8/);
    expect(reasonOf([gather('idx', 0)], [i64('idx', [0])], ['y'])).toMatch(/NET5011 .*batch axis/);
  });

  for (const [label, outputShape, autoPad] of [['odd padding', [9, 10], 'NOTSET'], ['even padding, SAME_UPPER', [7, 9], 'SAME_UPPER']] as const) {
    it(`ConvTranspose with output_shape (${label}) matches onnxruntime`, async () => {
      const w: ITensorProto = { name: 'w', dims: [8, 3, 3, 3], dataType: DataType.FLOAT, floatData: [...randomTensor([8, 3, 3, 3], rng(5)).data] };
      const node: INodeProto = {
        name: 'ct', opType: 'ConvTranspose', input: ['x', 'w'], output: ['y'],
        attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('output_shape', [...outputShape]), str('auto_pad', autoPad)],
      };
      const bytes = model([node], [w], ['y'], 13);
      const { graph, out } = run(bytes, x);
      expect(graph.values[graph.outputs[0]!.value]!.shape).toEqual([1, 3, ...outputShape]);
      const ort = (await runOrt(bytes, { x })).get('y')!;
      expect(ort.shape).toEqual([1, 3, ...outputShape]);
      expect(relativeL2(out.get('y')!.data, ort.data)).toBeLessThan(1e-6);
    });
  }
});
