/**
 * The activations of mobile and efficient CNN exports through ONNX: export of every one
 * (onnxruntime against the interpreter, then import back to the same graph and source), the
 * multi-node forms exporters write (SiLU as Sigmoid + Mul, hardswish as x * HardSigmoid(x) or
 * x * relu6(x + 3) / 6, GELU as Div/Erf/Add/Mul/Mul) folded into one operator, Clip's forms,
 * and PRelu's slope shapes. Each imported graph is compared with onnxruntime on the file.
 */
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../../src/interp/run.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { readOnnx } from '../../../src/io/onnx/read.ts';
import { AttributeType, DataType, onnx, type INodeProto, type ITensorProto } from '../../../src/io/onnx/proto.ts';
import type { Graph, WeightStore } from '../../../src/ir/graph.ts';
import { relativeL2, type Tensor } from '../../../src/ir/tensor.ts';
import { GraphBuilder } from './graphBuilder.ts';
import { checkToGraph, runOrt, sortedNodeShapes, weightSignature } from './helpers.ts';

const X_SHAPE = [1, 4, 5, 6];
const input = (shape = X_SHAPE): Tensor => detTensor('input/x', shape, -5, 5);

async function expectSameAsOrt(bytes: Uint8Array, graph: Graph<number>, weights: WeightStore, x: Tensor): Promise<number> {
  const ort = [...(await runOrt(bytes, { x })).values()][0]!;
  const ours = [...runGraph(graph, weights, [x]).values()][0]!;
  expect(ours.shape).toEqual(ort.shape);
  const err = relativeL2(ours.data, ort.data);
  expect(err).toBeLessThan(1e-5);
  return err;
}

const importOnnxNodes = (bytes: Uint8Array): string[] => readOnnx(bytes, { file: 'e.onnx' }).model!.nodes.map((n) => n.opType);

/** conv, then every new activation in a chain, then per-channel and shared PReLU. */
function chain(withGelu: boolean): GraphBuilder {
  const b = new GraphBuilder('Acts');
  const x = b.input('x', X_SHAPE);
  const conv = { rank: 2, outChannels: 4, kernel: [3, 3], stride: [1, 1], padBegin: [1, 1], padEnd: [1, 1], dilation: [1, 1], groups: 1, bias: true };
  let v = b.node('conv', 'conv1', [x], conv, X_SHAPE, { weight: [4, 4, 3, 3], bias: [4] });
  v = b.node('hardswish', 'act1', [v], {}, X_SHAPE);
  v = b.node('silu', 'act2', [v], {}, X_SHAPE);
  v = b.node('elu', 'act3', [v], { alpha: 0.5 }, X_SHAPE);
  v = b.node('prelu', 'prelu1', [v], { slopes: 4 }, X_SHAPE, { weight: [4] });
  v = b.node('prelu', 'prelu2', [v], { slopes: 1 }, X_SHAPE, { weight: [1] });
  v = b.node('hardsigmoid', 'act4', [v], { alpha: 0.2, beta: 0.4 }, X_SHAPE);
  if (withGelu) {
    v = b.node('gelu', 'act5', [v], { approximate: 'none' }, X_SHAPE);
    v = b.node('gelu', 'act6', [v], { approximate: 'tanh' }, X_SHAPE);
  }
  v = b.node('hardsigmoid', 'act7', [v], { alpha: 1 / 6, beta: 0.5 }, X_SHAPE);
  b.output('y', v);
  return b;
}

describe('export and import of the activations', () => {
  for (const [opset, withGelu] of [[13, true], [17, true], [21, true]] as const) {
    it(`opset ${opset}: onnxruntime agrees, and import gives the same graph back`, async () => {
      const b = chain(withGelu);
      const graph = b.graph();
      const bytes = exportOnnx(graph, b.weights, { opset });
      const err = await expectSameAsOrt(bytes, graph, b.weights, input());
      console.log(`activations opset ${opset}: onnxruntime vs interpreter rel L2 ${err.toExponential(2)}`);
      const back = importOnnx(bytes, { file: 'acts.onnx' });
      expect(back.diagnostics).toEqual([]);
      // Below opset 14 hardswish is written x * HardSigmoid(x), below 20 GELU as its formula; import folds them back.
      expect(back.graph!.nodes.map((n) => n.op)).toEqual(graph.nodes.map((n) => n.op));
      expect(sortedNodeShapes(back.graph!)).toEqual(sortedNodeShapes(graph));
      expect(weightSignature(back.graph!)).toEqual(weightSignature(graph));
      // ONNX stores float attributes in float32.
      const f32 = (a: object) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, typeof v === 'number' ? Math.fround(v) : v]));
      expect(back.graph!.nodes.map((n) => f32(n.attrs))).toEqual(graph.nodes.map((n) => f32(n.attrs)));
      const again = checkToGraph(back.source!, 'acts.net');
      expect(again.nodes.map((n) => n.op)).toEqual(graph.nodes.map((n) => n.op));
    });
  }

  it('writes GELU as one node from opset 20 and as torch\'s formula before', () => {
    const b = chain(true);
    const opTypes = (opset: number) => importOnnxNodes(exportOnnx(b.graph(), b.weights, { opset }));
    expect(opTypes(20).filter((t) => t === 'Gelu')).toHaveLength(2);
    expect(opTypes(17)).not.toContain('Gelu');
    expect(opTypes(17)).toContain('Erf');
  });
});

// Raw ONNX models of the node patterns exporters write.
const vi = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
const scalar = (name: string, v: number): ITensorProto => ({ name, dims: [], dataType: DataType.FLOAT, floatData: [v] });
const tensor = (name: string, dims: number[], data: number[]): ITensorProto => ({ name, dims, dataType: DataType.FLOAT, floatData: data });
const node = (opType: string, input: string[], output: string, attribute: INodeProto['attribute'] = []): INodeProto => ({ name: `/act/${opType}_${output}`, opType, input, output: [output], attribute });
const floatAttr = (name: string, f: number) => ({ name, type: AttributeType.FLOAT, f });

function model(nodes: INodeProto[], init: ITensorProto[] = [], opts: { opset?: number; outputs?: string[]; shape?: number[] } = {}): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opts.opset ?? 13 }],
    graph: { name: 'g', node: nodes, initializer: init, input: [vi('x', opts.shape ?? X_SHAPE)], output: (opts.outputs ?? ['y']).map((name) => vi(name, opts.shape ?? X_SHAPE)) },
  })).finish();
}

async function imported(bytes: Uint8Array, shape = X_SHAPE): Promise<{ ops: string[]; graph: Graph<number> }> {
  const r = importOnnx(bytes, { file: 'p.onnx' });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await expectSameAsOrt(bytes, r.graph!, r.weights!, input(shape));
  return { ops: r.graph!.nodes.map((n) => n.op), graph: r.graph! };
}

describe('node patterns folded at import', () => {
  it('SiLU: Mul(x, Sigmoid(x)) in either operand order', async () => {
    expect((await imported(model([node('Sigmoid', ['x'], 's'), node('Mul', ['x', 's'], 'y')]))).ops).toEqual(['silu']);
    expect((await imported(model([node('Sigmoid', ['x'], 's'), node('Mul', ['s', 'x'], 'y')]))).ops).toEqual(['silu']);
  });

  it('hardswish: x * HardSigmoid(x) with PyTorch\'s constants, and x * relu6(x + 3) / 6', async () => {
    const hs = node('HardSigmoid', ['x'], 'h', [floatAttr('alpha', 1 / 6), floatAttr('beta', 0.5)]);
    expect((await imported(model([hs, node('Mul', ['x', 'h'], 'y')]))).ops).toEqual(['hardswish']);
    const written = [
      node('Add', ['x', 'three'], 'a'), node('Clip', ['a', 'zero', 'six'], 'c'), node('Mul', ['x', 'c'], 'm'), node('Div', ['m', 'six'], 'y'),
    ];
    expect((await imported(model(written, [scalar('three', 3), scalar('zero', 0), scalar('six', 6)]))).ops).toEqual(['hardswish']);
    // ONNX's default HardSigmoid (alpha 0.2) times x is no hardswish: two nodes.
    const onnxDefault = node('HardSigmoid', ['x'], 'h');
    expect((await imported(model([onnxDefault, node('Mul', ['x', 'h'], 'y')]))).ops).toEqual(['hardsigmoid', 'mul']);
  });

  it('GELU as torch.onnx writes it below opset 20 (constants as Constant nodes)', async () => {
    const k = (name: string, v: number): INodeProto => ({ name: `/c/${name}`, opType: 'Constant', input: [], output: [name], attribute: [{ name: 'value', type: AttributeType.TENSOR, t: scalar('', v) }] });
    const nodes = [
      k('sqrt2', Math.SQRT2), node('Div', ['x', 'sqrt2'], 'd'), node('Erf', ['d'], 'e'), k('one', 1), node('Add', ['e', 'one'], 'a'),
      node('Mul', ['x', 'a'], 'm'), k('half', 0.5), node('Mul', ['m', 'half'], 'y'),
    ];
    const { ops, graph } = await imported(model(nodes));
    expect(ops).toEqual(['gelu']);
    expect(graph.nodes[0]!.attrs).toEqual({ approximate: 'none' });
  });

  it('GELU\'s tanh form, with x^3 as Mul(x, Mul(x, x)) (torch.onnx) or Pow(x, 3)', async () => {
    const init = [scalar('kappa', 0.044715), scalar('beta', Math.sqrt(2 / Math.PI)), scalar('one', 1), scalar('half', 0.5), scalar('three', 3)];
    const rest = [
      node('Mul', ['kappa', 'cube'], 'kc'), node('Add', ['x', 'kc'], 's'), node('Mul', ['beta', 's'], 'inner'), node('Tanh', ['inner'], 't'),
      node('Add', ['one', 't'], 'a'), node('Mul', ['x', 'a'], 'm'), node('Mul', ['half', 'm'], 'y'),
    ];
    const byMul = await imported(model([node('Mul', ['x', 'x'], 'sq'), node('Mul', ['x', 'sq'], 'cube'), ...rest], init));
    expect(byMul.ops).toEqual(['gelu']);
    expect(byMul.graph.nodes[0]!.attrs).toEqual({ approximate: 'tanh' });
    expect((await imported(model([node('Pow', ['x', 'three'], 'cube'), ...rest], init))).ops).toEqual(['gelu']);
  });

  it('does not fold when an intermediate value is read elsewhere', async () => {
    const bytes = model([node('Sigmoid', ['x'], 's'), node('Mul', ['x', 's'], 'y')], [], { outputs: ['y', 's'] });
    const r = importOnnx(bytes, { file: 'p.onnx' });
    expect(r.graph!.nodes.map((n) => n.op)).toEqual(['sigmoid', 'mul']);
  });
});

describe('single ONNX operators', () => {
  it('HardSwish, HardSigmoid (ONNX defaults), Elu, Gelu at opset 20', async () => {
    expect((await imported(model([node('HardSwish', ['x'], 'y')], [], { opset: 14 }))).ops).toEqual(['hardswish']);
    const { graph } = await imported(model([node('HardSigmoid', ['x'], 'y')]));
    expect(graph.nodes[0]!.attrs).toEqual({ alpha: expect.closeTo(0.2, 7), beta: 0.5 });
    expect((await imported(model([node('Elu', ['x'], 'y', [floatAttr('alpha', 0.7)])]))).graph.nodes[0]!.attrs).toEqual({ alpha: expect.closeTo(0.7, 7) });
    const gelu = node('Gelu', ['x'], 'y', [{ name: 'approximate', type: AttributeType.STRING, s: new TextEncoder().encode('tanh') }]);
    expect((await imported(model([gelu], [], { opset: 20 }))).graph.nodes[0]!.attrs).toEqual({ approximate: 'tanh' });
  });

  it('Clip: bounds as inputs, either left out, or neither (identity); relu6 and hardtanh forms', async () => {
    const init = [scalar('lo', -1), scalar('hi', 1), scalar('zero', 0), scalar('six', 6)];
    const one = async (inputs: string[]) => (await imported(model([node('Clip', inputs, 'y')], init))).graph.nodes[0]!;
    expect(await one(['x', 'lo', 'hi'])).toMatchObject({ op: 'clip', attrs: { min: -1, max: 1 } });
    expect(await one(['x', 'zero', 'six'])).toMatchObject({ op: 'relu6' });
    expect(await one(['x', '', 'hi'])).toMatchObject({ op: 'clip', attrs: { min: undefined, max: 1 } });
    expect(await one(['x', 'zero'])).toMatchObject({ op: 'relu' });
    expect(await one(['x'])).toMatchObject({ op: 'identity' });
    // Attributes (the form before opset 11) are read too.
    const r = importOnnx(model([node('Clip', ['x'], 'y', [floatAttr('min', -2), floatAttr('max', 2)])], [], { opset: 11 }), { file: 'c.onnx' });
    expect(r.graph!.nodes[0]).toMatchObject({ op: 'clip', attrs: { min: -2, max: 2 } });
  });

  it('PRelu: slope [C, 1, 1] (torch\'s unsqueezed weight, also as Unsqueeze), [1], and [C] over a 2-D input', async () => {
    const slopes = [0.1, -0.2, 0.3, 0.25];
    const perChannel = await imported(model([node('PRelu', ['x', 'w'], 'y')], [tensor('w', [4, 1, 1], slopes)]));
    expect(perChannel.graph.nodes[0]).toMatchObject({ op: 'prelu', attrs: { slopes: 4 } });
    const axes: ITensorProto = { name: 'axes', dims: [2], dataType: DataType.INT64, int64Data: [1, 2] };
    const unsq = await imported(model([node('Unsqueeze', ['w', 'axes'], 'wu'), node('PRelu', ['x', 'wu'], 'y')], [tensor('w', [4], slopes), axes]));
    expect(unsq.ops).toEqual(['prelu']);
    expect((await imported(model([node('PRelu', ['x', 'w'], 'y')], [tensor('w', [1], [0.25])]))).graph.nodes[0]!.attrs).toEqual({ slopes: 1 });
    expect((await imported(model([node('PRelu', ['x', 'w'], 'y')], [tensor('w', [4], slopes)], { shape: [3, 4] }), [3, 4])).ops).toEqual(['prelu']);
  });

  it('PRelu with a slope per element is refused with a reason', () => {
    const r = importOnnx(model([node('PRelu', ['x', 'w'], 'y')], [tensor('w', [5, 6], new Array(30).fill(0.1))]), { file: 'p.onnx' });
    expect(r.graph).toBeUndefined();
    expect(r.diagnostics[0]!.code).toBe('NET5011');
    expect(r.diagnostics[0]!.message).toMatch(/neither one value nor one per channel/);
  });
});
