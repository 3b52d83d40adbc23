import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TensorFileError } from '../../src/io/errors.ts';
import { readSafetensors, readSafetensorsMetadata, writeSafetensors } from '../../src/io/safetensors.ts';
import type { DiagnosticCode } from '../../src/diag/catalogue.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const reference = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/reference/${name}`, import.meta.url)));

/** A safetensors file from a header object (or raw header text) and a data region. */
function build(header: unknown, dataBytes: number, opts: { rawHeader?: string; lengthOverride?: bigint } = {}): Uint8Array {
  const text = opts.rawHeader ?? JSON.stringify(header);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, opts.lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  return out;
}

function expectError(bytes: Uint8Array, code: DiagnosticCode, pattern: RegExp): void {
  let caught: unknown;
  try {
    readSafetensors(bytes, 'bad.safetensors');
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(TensorFileError);
  const err = caught as TensorFileError;
  expect(err.code).toBe(code);
  expect(err.message).toContain('bad.safetensors');
  expect(err.message).toMatch(pattern);
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('readSafetensors', () => {
  it('reads the reference op tensors', () => {
    const t = readSafetensors(reference('ops.safetensors'), 'ops.safetensors');
    const x = t.get('conv2d_1x1.x')!;
    expect(x.shape).toEqual([1, 8, 5, 7]);
    expect(x.data.length).toBe(280);
    expect(t.get('conv2d_1x1.y')!.shape).toEqual([1, 6, 5, 7]);
  });

  it('reads F16, BF16, F64 and F32 into float32, skips integer tensors, returns metadata', () => {
    const bytes = fixture('mixed.safetensors');
    const skipped: string[] = [];
    const t = readSafetensors(bytes, 'mixed.safetensors', { onSkipped: (n, d) => skipped.push(`${n}:${d}`) });
    const expected = [-0.625, -0.375, -0.125, 0.125, 0.375, 0.625];
    for (const name of ['half', 'brain', 'double', 'single']) {
      expect(t.get(name)!.shape).toEqual([2, 3]);
      expect([...t.get(name)!.data]).toEqual(expected);
    }
    expect(t.has('steps')).toBe(false);
    expect(skipped).toEqual(['steps:I64']);
    expect(readSafetensorsMetadata(bytes, 'mixed.safetensors')).toEqual({ format: 'pt' });
  });

  it('round-trips through writeSafetensors, with metadata and an 8-byte aligned header', () => {
    const a = { shape: [2, 2], data: Float32Array.from([1, -2, 3.5, 1e-30]) };
    const b = { shape: [], data: Float32Array.from([42]) };
    const z = { shape: [0, 3], data: new Float32Array(0) };
    const bytes = writeSafetensors({ a, b, z }, { note: 'x' });
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    const back = readSafetensors(bytes, 'rt.safetensors');
    expect([...back.keys()]).toEqual(['a', 'b', 'z']);
    expect(back.get('a')).toEqual(a);
    expect(back.get('b')).toEqual(b);
    expect(back.get('z')!.shape).toEqual([0, 3]);
    expect(readSafetensorsMetadata(bytes, 'rt.safetensors')).toEqual({ note: 'x' });
  });
});

describe('readSafetensors rejects malformed files with one clear error each', () => {
  it('file shorter than the length field', () => expectError(new Uint8Array(5), 'NET3010', /too short/));

  it('header length past the end of the file', () =>
    expectError(build({}, 0, { lengthOverride: 1000n }), 'NET3010', /header needs 1000 bytes/));

  it('header length beyond the sane limit (no giant allocation)', () =>
    expectError(build({}, 0, { lengthOverride: 5_000_000_000n }), 'NET3014', /header length 5000000000 bytes exceeds/));

  it('header that is not JSON', () => expectError(build(null, 0, { rawHeader: '{"a": [1, 2' }), 'NET3011', /not valid JSON/));

  it('header that is JSON but not an object', () => expectError(build([1, 2], 0), 'NET3011', /not a JSON object/));

  it('unknown dtype', () =>
    expectError(build({ w: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, 8), 'NET3012', /tensor w has unsupported dtype C64/));

  it('overlapping offsets', () =>
    expectError(build({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), 'NET3013', /tensor b: data_offsets \[4, 12\] overlap those of a/));

  it('shape and byte length disagree', () =>
    expectError(build({ w: f32([4, 3, 3, 3], 0, 400) }, 400), 'NET3013', /tensor w: shape \[4, 3, 3, 3\] of F32 needs 432 bytes, data_offsets give 400/));

  it('offsets past the end of the data region', () =>
    expectError(build({ w: f32([4], 0, 16) }, 8), 'NET3010', /tensor w ends at data offset 16, the data region has 8 bytes/));

  it('negative shape', () => expectError(build({ w: f32([-1, 4], 0, 0) }, 0), 'NET3013', /tensor w: shape \[-1,4\] is not a list of non-negative integers/));

  it('non-integer shape', () => expectError(build({ w: f32([1.5], 0, 6) }, 8), 'NET3013', /not a list of non-negative integers/));

  it('huge shape with a tiny file', () =>
    expectError(build({ w: f32([100000, 100000, 100000], 0, 16) }, 16), 'NET3014', /tensor w of shape \[100000, 100000, 100000\] exceeds/));

  it('huge but in-limit shape whose bytes the file lacks', () =>
    expectError(build({ w: f32([1000, 1000, 100], 0, 400_000_000) }, 16), 'NET3010', /data region has 16 bytes/));

  it('a tensor listed twice', () =>
    expectError(build(null, 8, { rawHeader: '{"w": {"dtype":"F32","shape":[1],"data_offsets":[0,4]}, "w": {"dtype":"F32","shape":[1],"data_offsets":[4,8]}}' }), 'NET3011', /tensor w is listed twice/));

  it('an entry that is not an object, or has missing or unknown fields', () => {
    expectError(build({ w: 3 }, 0), 'NET3013', /tensor w: entry is not an object/);
    expectError(build({ w: { shape: [1], data_offsets: [0, 4] } }, 4), 'NET3013', /dtype is missing/);
    expectError(build({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4], extra: 1 } }, 4), 'NET3013', /unknown field extra/);
    expectError(build({ w: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, 4), 'NET3013', /data_offsets \[4,0\] is not a pair/);
  });

  it('metadata that is not a map of strings', () =>
    expectError(build({ __metadata__: { n: 3 } }, 0), 'NET3011', /__metadata__ entry n is not a string/));

  it('a file cut short inside the data region', () => {
    const good = writeSafetensors({ w: { shape: [4, 4], data: new Float32Array(16) } });
    expectError(good.subarray(0, good.length - 10), 'NET3010', /ends at data offset 64, the data region has 54 bytes/);
  });

  it('errors convert to diagnostics naming the file', () => {
    try {
      readSafetensors(new Uint8Array(3), 'weights/x.safetensors');
    } catch (e) {
      const d = (e as TensorFileError).toDiagnostic();
      expect(d.code).toBe('NET3010');
      expect(d.severity).toBe('error');
      expect(d.span.file).toBe('weights/x.safetensors');
      return;
    }
    throw new Error('no error thrown');
  });
});
