/**
 * Bad ONNX input gives one clear NET5xxx diagnostic and no graph: never an exception, a hang
 * or an allocation sized by what the file claims rather than what it holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../src/io/onnx/import.ts';
import { AttributeType, DataType, onnx, type INodeProto, type ITensorProto } from '../../src/io/onnx/proto.ts';
import { readRef } from './helpers.ts';

const vi = (name: string, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const floats = (name: string, dims: number[], fill = 0.1): ITensorProto =>
  ({ name, dims, dataType: DataType.FLOAT, floatData: new Array(dims.reduce((a, b) => a * b, 1)).fill(fill) });
const ints = (name: string, v: number[]) => ({ name, type: AttributeType.INTS, ints: v });

function model(nodes: INodeProto[], init: ITensorProto[] = [], opts: { opset?: number; input?: (number | string)[]; output?: string } = {}): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: opts.opset ?? 17 }],
    graph: {
      name: 'g', node: nodes, initializer: init,
      input: [vi('x', opts.input ?? [1, 3, 8, 8])], output: [{ name: opts.output ?? 'y' }],
    },
  })).finish();
}

const conv = (w = 'w', extra: object = {}): INodeProto =>
  ({ name: '/c1/Conv', opType: 'Conv', input: ['x', w], output: ['y'], attribute: [ints('kernel_shape', [3, 3])], ...extra });

function only(bytes: Uint8Array, readExternal?: (l: string) => Uint8Array | undefined) {
  const r = importOnnx(bytes, { file: 'bad.onnx', readExternal });
  expect(r.graph).toBeUndefined();
  expect(r.diagnostics).toHaveLength(1);
  console.log(`${r.diagnostics[0]!.code}: ${r.diagnostics[0]!.message}`);
  return r.diagnostics[0]!;
}

describe('malformed ONNX files', () => {
  it('a well-formed small model imports (the baseline of the cases below)', () => {
    const r = importOnnx(model([conv()], [floats('w', [4, 3, 3, 3])]), { file: 'ok.onnx' });
    expect(r.diagnostics).toEqual([]);
    expect(r.graph!.values[r.graph!.outputs[0]!.value]!.shape).toEqual([1, 4, 6, 6]);
  });

  it('truncated bytes', () => {
    const full = readRef('onnx/convbn_leaky.onnx');
    expect(only(full.subarray(0, full.length - 1000)).code).toBe('NET5001');
  });

  it('garbage bytes', () => {
    const d = only(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x22, 0x01]));
    expect(d.code).toBe('NET5001');
  });

  it('a field with the wrong wire type', () => {
    // Field 7 (graph) written as a varint instead of a length-delimited message.
    const d = only(new Uint8Array([0x08, 0x08, 0x38, 0x05]));
    expect(d.code).toBe('NET5001');
  });

  it('an attribute of the wrong type', () => {
    const bad = conv('w', { attribute: [{ name: 'kernel_shape', type: AttributeType.FLOAT, f: 3 }] });
    const d = only(model([bad], [floats('w', [4, 3, 3, 3])]));
    expect(d.code).toBe('NET5011');
    expect(d.message).toMatch(/kernel_shape must be INTS, found FLOAT/);
  });

  it('a missing initializer', () => {
    const d = only(model([conv('c1.weight')]));
    expect(d.code).toBe('NET5003');
    expect(d.message).toMatch(/reads c1\.weight/);
  });

  it('a cycle', () => {
    const a: INodeProto = { name: 'a', opType: 'Add', input: ['x', 'q'], output: ['p'] };
    const b: INodeProto = { name: 'b', opType: 'Relu', input: ['p'], output: ['q'] };
    const c: INodeProto = { name: 'c', opType: 'Relu', input: ['q'], output: ['y'] };
    const d = only(model([a, b, c]));
    expect(d.code).toBe('NET5004');
    expect(d.message).toMatch(/a, b/);
  });

  it('every unsupported operator in one diagnostic, with node names and counts', () => {
    const nodes: INodeProto[] = [
      { name: 'lstm1', opType: 'LSTM', input: ['x'], output: ['a'] },
      { name: 'g1', opType: 'Scan', input: ['a'], output: ['b'] },
      { name: 'lstm2', opType: 'LSTM', input: ['b'], output: ['c'] },
      { name: 'r', opType: 'Relu', input: ['c'], output: ['y'] },
    ];
    const d = only(model(nodes));
    expect(d.code).toBe('NET5010');
    expect(d.message).toContain('LSTM (2 nodes: lstm1, lstm2)');
    expect(d.message).toContain('Scan (1 node: g1)');
  });

  it('raw data that does not match the dims', () => {
    const w: ITensorProto = { name: 'w', dims: [4, 3, 3, 3], dataType: DataType.FLOAT, rawData: new Uint8Array(40) };
    const d = only(model([conv()], [w]));
    expect(d.code).toBe('NET5005');
    expect(d.message).toMatch(/40 bytes.*need 432/);
  });

  it('huge dims with tiny data are refused before any allocation', () => {
    const w: ITensorProto = { name: 'w', dims: [1e6, 1e6, 3, 3], dataType: DataType.FLOAT, rawData: new Uint8Array(4) };
    expect(only(model([conv()], [w])).code).toBe('NET5007');
  });

  it('an unsupported element type', () => {
    const w: ITensorProto = { name: 'w', dims: [1], dataType: DataType.STRING, stringData: [new Uint8Array([65])] };
    expect(only(model([conv()], [w])).code).toBe('NET5005');
  });

  it('external data: read through the callback, missing, or outside the model folder', () => {
    const data = new Float32Array(4 * 27).fill(0.5);
    const file = new Uint8Array(16 + data.byteLength);
    file.set(new Uint8Array(data.buffer), 16);
    const external = (location: string, offset = 16): ITensorProto => ({
      name: 'w', dims: [4, 3, 3, 3], dataType: DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: location }, { key: 'offset', value: String(offset) }, { key: 'length', value: String(data.byteLength) }],
    });
    const files: Record<string, Uint8Array> = { 'weights.bin': file };
    const ok = importOnnx(model([conv()], [external('weights.bin')]), { file: 'ext.onnx', readExternal: (l) => files[l] });
    expect(ok.diagnostics).toEqual([]);
    expect(ok.weights!.get('c1.weight')!.data[5]).toBe(0.5);
    expect(only(model([conv()], [external('other.bin')]), (l) => files[l]).code).toBe('NET5006');
    expect(only(model([conv()], [external('../secret.bin')]), (l) => files[l]).message).toMatch(/inside the model folder/);
    expect(only(model([conv()], [external('weights.bin', 100)]), (l) => files[l]).message).toMatch(/past its end/);
  });

  it('an opset outside 11 to 21', () => {
    expect(only(model([conv()], [floats('w', [4, 3, 3, 3])], { opset: 9 })).code).toBe('NET5008');
  });

  it('a symbolic input dimension', () => {
    const d = only(model([conv()], [floats('w', [4, 3, 3, 3])], { input: ['batch', 3, 8, 8] }));
    expect(d.code).toBe('NET5011');
    expect(d.message).toMatch(/\[\?, 3, 8, 8\]/);
  });

  it('a weight that does not fit the input', () => {
    expect(only(model([conv()], [floats('w', [4, 5, 3, 3])])).code).toBe('NET5012');
  });

  it('uses the language cannot express are refused clearly', () => {
    const resize: INodeProto = {
      name: 'r', opType: 'Resize', input: ['x', '', 's'], output: ['y'],
      attribute: [{ name: 'mode', type: AttributeType.STRING, s: new TextEncoder().encode('cubic') }],
    };
    expect(only(model([resize], [floats('s', [4], 2)])).message).toMatch(/mode cubic/);
    const gemm: INodeProto = { name: 'g', opType: 'Gemm', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'transA', type: AttributeType.INT, i: 1 }] };
    expect(only(model([gemm], [floats('w', [3, 4])], { input: [3, 5] })).message).toMatch(/transA=1/);
    const softmax: INodeProto = { name: 's', opType: 'Softmax', input: ['x'], output: ['y'], attribute: [{ name: 'axis', type: AttributeType.INT, i: 1 }] };
    expect(only(model([softmax], [], { opset: 12 })).message).toMatch(/before opset 13/);
  });

  it('random corruption of a real model never throws', () => {
    const base = readRef('onnx/convbn_leaky.onnx');
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
      fc.nat(base.length),
      (flips, cut) => {
        const bytes = base.slice(0, Math.max(1, cut));
        for (const [i, v] of flips) if (i < bytes.length) bytes[i] = v;
        const r = importOnnx(bytes, { file: 'fuzz.onnx' });
        expect(r.graph === undefined).toBe(r.diagnostics.some((d) => d.severity === 'error'));
      },
    ), { numRuns: 300 });
  });
});
