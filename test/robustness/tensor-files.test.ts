/**
 * Untrusted tensor and model files: small files that claim gigantic tensors are rejected
 * quickly and without allocating what they claim, and randomly corrupted valid files give a
 * TensorFileError (safetensors, npy) or diagnostics (ONNX), never another exception.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../src/check/check.ts';
import { isTensorFileError } from '../../src/io/errors.ts';
import { readNpy, writeNpy } from '../../src/io/npy.ts';
import { exportOnnx } from '../../src/io/onnx/export.ts';
import { importOnnx } from '../../src/io/onnx/import.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { readSafetensors, readSafetensorsMetadata, writeSafetensors } from '../../src/io/safetensors.ts';
import { concretize } from '../../src/check/concretize.ts';
import { tensor } from '../../src/ir/tensor.ts';
import { graphParams } from '../../src/ir/params.ts';
import { makeRng, type Rng } from '../fuzz/rng.ts';
import { onnx } from '../../src/io/onnx/proto.ts';

const MiB = 1024 * 1024;

/** Bytes allocated (heap and array buffers) while f runs, and its duration. */
function measure(f: () => void): { bytes: number; ms: number } {
  const before = process.memoryUsage();
  const start = performance.now();
  f();
  const ms = performance.now() - start;
  const after = process.memoryUsage();
  return { bytes: after.arrayBuffers - before.arrayBuffers + Math.max(0, after.heapUsed - before.heapUsed), ms };
}

function safetensorsWithHeader(header: object, dataBytes = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

function npyWithHeader(dict: string, dataBytes = 0): Uint8Array {
  const header = new TextEncoder().encode(dict.padEnd(Math.ceil((dict.length + 11) / 64) * 64 - 10, ' ') + '\n');
  const out = new Uint8Array(10 + header.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(header, 10);
  return out;
}

/** Require a TensorFileError, fast and with little allocation. */
function rejectsCheaply(read: () => unknown, code?: string): void {
  let error: unknown;
  const { bytes, ms } = measure(() => {
    try {
      read();
    } catch (e) {
      error = e;
    }
  });
  expect(isTensorFileError(error), String(error)).toBe(true);
  if (code) expect((error as { code: string }).code ?? (error as { diagnostic?: { code: string } }).diagnostic?.code).toBe(code);
  expect(ms).toBeLessThan(500);
  expect(bytes).toBeLessThan(16 * MiB);
}

describe('safetensors: small files claiming huge tensors', () => {
  it.each([
    ['a 4 TiB tensor', { w: { dtype: 'F32', shape: [1048576, 1048576], data_offsets: [0, 4398046511104] } }],
    ['offsets past the end', { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }],
    ['offsets beyond 2^53', { w: { dtype: 'F32', shape: [4], data_offsets: [0, 1e300] } }],
    ['a shape whose product overflows', { w: { dtype: 'F32', shape: [4294967296, 4294967296, 4294967296], data_offsets: [0, 0] } }],
    ['a negative dimension', { w: { dtype: 'F32', shape: [-1, 4], data_offsets: [0, 0] } }],
    ['a fractional dimension', { w: { dtype: 'F32', shape: [0.5], data_offsets: [0, 2] } }],
    ['a shape that is not a list', { w: { dtype: 'F32', shape: 'big', data_offsets: [0, 0] } }],
    ['a million-element shape list', { w: { dtype: 'F32', shape: new Array(100_000).fill(1), data_offsets: [0, 4] } }],
    ['an unknown dtype', { w: { dtype: 'Q99', shape: [1], data_offsets: [0, 4] } }],
  ])('%s', (_name, header) => {
    const bytes = safetensorsWithHeader(header);
    rejectsCheaply(() => readSafetensors(bytes, 'bad.safetensors'));
  });

  it('a header length of 2^63 in a 100-byte file', () => {
    const bytes = new Uint8Array(100);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    rejectsCheaply(() => readSafetensors(bytes, 'bad.safetensors'), 'NET3014');
    rejectsCheaply(() => readSafetensorsMetadata(bytes, 'bad.safetensors'), 'NET3014');
  });

  it('a header length just past the file', () => {
    const bytes = new Uint8Array(100);
    new DataView(bytes.buffer).setBigUint64(0, 93n, true);
    rejectsCheaply(() => readSafetensors(bytes, 'bad.safetensors'), 'NET3010');
  });

  it('empty and tiny files', () => {
    for (const n of [0, 1, 7, 8]) rejectsCheaply(() => readSafetensors(new Uint8Array(n), 'tiny.safetensors'));
  });
});

describe('npy: small files claiming huge arrays', () => {
  it.each([
    ['a 4 TiB array', "{'descr': '<f4', 'fortran_order': False, 'shape': (1048576, 1048576), }"],
    ['an overflowing shape', "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }"],
    ['a shape beyond 2^53', "{'descr': '<f4', 'fortran_order': False, 'shape': (123456789012345678901234567890,), }"],
    ['a negative dimension', "{'descr': '<f4', 'fortran_order': False, 'shape': (-4,), }"],
    ['an unknown descr', "{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }"],
    ['an object array', "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"],
    ['Fortran order', "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }"],
    ['deeply nested tuples', `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(50_000)}${')'.repeat(50_000)}, }`],
    ['not a dict', 'garbage'],
  ])('%s', (_name, dict) => {
    rejectsCheaply(() => readNpy(npyWithHeader(dict), 'bad.npy'));
  });

  it('a version-2 header length of 4 GiB in a 100-byte file', () => {
    const bytes = new Uint8Array(100);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(bytes.buffer).setUint32(8, 0xffffffff, true);
    rejectsCheaply(() => readNpy(bytes, 'bad.npy'));
  });

  it('empty and tiny files', () => {
    for (const n of [0, 1, 6, 9, 10]) rejectsCheaply(() => readNpy(new Uint8Array(n), 'tiny.npy'));
  });
});

describe('ONNX: small files claiming huge tensors', () => {
  const model = (init: onnx.ITensorProto) => onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g',
      node: [{ opType: 'Relu', input: ['x'], output: ['y'], name: 'r' }],
      initializer: [init],
      input: [{ name: 'x', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: 4 }] } } } }],
    },
  }).finish();

  it.each([
    ['raw data shorter than a 4 TiB shape', { name: 'w', dataType: 1, dims: [1048576, 1048576], rawData: new Uint8Array(8) }],
    ['float data shorter than its shape', { name: 'w', dataType: 1, dims: [1048576, 1048576], floatData: [1, 2] }],
    ['a negative dimension', { name: 'w', dataType: 1, dims: [-5], rawData: new Uint8Array(8) }],
    ['an overflowing shape', { name: 'w', dataType: 1, dims: [4294967296, 4294967296, 4294967296], rawData: new Uint8Array(8) }],
    ['external data that is not there', { name: 'w', dataType: 1, dims: [1048576, 1048576], dataLocation: 1, externalData: [{ key: 'location', value: 'w.bin' }, { key: 'length', value: '4398046511104' }] }],
  ])('%s', (_name, init) => {
    const bytes = model(init as onnx.ITensorProto);
    expect(bytes.length).toBeLessThan(400);
    let result: ReturnType<typeof importOnnx> | undefined;
    const { bytes: allocated, ms } = measure(() => {
      result = importOnnx(bytes, { file: 'bad.onnx', readExternal: () => undefined });
    });
    expect(result!.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(ms).toBeLessThan(1000);
    expect(allocated).toBeLessThan(16 * MiB);
  });
});

// ---- mutational fuzzing of the readers ----

function corrupt(bytes: Uint8Array, rng: Rng): Uint8Array {
  let out = bytes.slice();
  const n = rng.int(1, 4);
  for (let k = 0; k < n; k++) {
    const at = rng.int(0, Math.max(0, out.length - 1));
    switch (rng.int(0, 5)) {
      case 0: out[at] = out[at]! ^ (1 << rng.int(0, 7)); break;
      case 1: out[at] = rng.pick([0, 0xff, 0x7f, 0x80, 0x30, 0x39, 0x2c, 0x5b, 0x5d, 0x22]); break;
      case 2: out = out.slice(0, at); break;
      case 3: { const grown = new Uint8Array(out.length + 4); grown.set(out.subarray(0, at)); grown.set([0xff, 0xff, 0xff, 0x7f], at); grown.set(out.subarray(at), at + 4); out = grown; break; }
      case 4: if (out.length > 8) new DataView(out.buffer).setUint32(rng.int(0, out.length - 4), rng.pick([0, 1, 0xffffffff, 0x7fffffff, rng.int(0, 2 ** 31)]), true); break;
      default: out = out.slice(0, rng.int(0, out.length)); break;
    }
  }
  return out;
}

/** A valid file of each kind to corrupt. */
function validFiles() {
  const t = tensor([2, 3], [1, 2, 3, 4, 5, 6]);
  const safetensors = writeSafetensors({ 'conv.weight': t, 'conv.bias': tensor([2], [0.5, -0.5]) }, { format: 'pt' });
  const npy = writeNpy(t);
  const checked = checkSource('network N {\n  in x: [1, 3, 8, 8]\n  out y = x |> conv(4, k=3, pad=1) |> bn |> relu |> maxpool(k=2) |> flatten |> linear(5)\n}\n', 'n.net');
  const graph = concretize(checked.graphs[0]!, new Map()).graph!;
  const onnxBytes = exportOnnx(graph, randomWeights(graphParams(graph), 1));
  return { safetensors, npy, onnx: onnxBytes };
}

describe('corrupted files', () => {
  const files = validFiles();
  const ITERATIONS = 1500;

  it.each([
    ['safetensors', (b: Uint8Array) => readSafetensors(b, 'f.safetensors')],
    ['npy', (b: Uint8Array) => readNpy(b, 'f.npy')],
  ] as const)('%s: %i corruptions give a tensor or a TensorFileError', (kind, read) => {
    const rng = makeRng(kind.length * 7919);
    const base = files[kind];
    let errors = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const bytes = corrupt(base, rng);
      try {
        read(bytes);
      } catch (e) {
        if (!isTensorFileError(e)) throw new Error(`${kind} input #${i} (${Buffer.from(bytes).toString('hex')}) threw ${String(e)}`);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(ITERATIONS / 4);
  });

  it('onnx: corruptions give a graph or diagnostics', () => {
    const rng = makeRng(4242);
    let rejected = 0;
    for (let i = 0; i < 600; i++) {
      const bytes = corrupt(files.onnx, rng);
      let result: ReturnType<typeof importOnnx>;
      try {
        result = importOnnx(bytes, { file: 'f.onnx', readExternal: () => undefined });
      } catch (e) {
        throw new Error(`onnx input #${i} threw ${(e as Error).stack ?? String(e)}`);
      }
      if (!result.graph) rejected++;
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
