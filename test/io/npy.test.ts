import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../../src/diag/catalogue.ts';
import { TensorFileError } from '../../src/io/errors.ts';
import { floatToHalf, halfToFloat } from '../../src/io/floatDecode.ts';
import { readNpy, writeNpy } from '../../src/io/npy.ts';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

/** (arange(24) - 11.5) / 4 reshaped to [2, 3, 4]: exact in every float width. */
const expected = Array.from({ length: 24 }, (_, i) => (i - 11.5) / 4);

/** An .npy v1 file from header text and a data length. */
function npy(header: string, dataBytes: number): Uint8Array {
  const out = new Uint8Array(10 + header.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

function expectError(bytes: Uint8Array, code: DiagnosticCode, pattern: RegExp): void {
  let caught: unknown;
  try {
    readNpy(bytes, 'bad.npy');
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(TensorFileError);
  expect((caught as TensorFileError).code).toBe(code);
  expect((caught as TensorFileError).message).toContain('bad.npy');
  expect((caught as TensorFileError).message).toMatch(pattern);
}

describe('readNpy', () => {
  it.each([
    ['v1_f4.npy', 'version 1, <f4'],
    ['v2_f8.npy', 'version 2, <f8'],
    ['v3_f2.npy', 'version 3, <f2'],
    ['v1_be_f4.npy', 'version 1, >f4'],
  ])('reads %s written by NumPy (%s)', (name) => {
    const t = readNpy(fixture(name), name);
    expect(t.shape).toEqual([2, 3, 4]);
    expect([...t.data]).toEqual(expected);
  });

  it('reads a 0-d array', () => {
    const t = readNpy(fixture('scalar.npy'), 'scalar.npy');
    expect(t.shape).toEqual([]);
    expect([...t.data]).toEqual([2.5]);
  });

  it('round-trips through writeNpy with a 64-byte aligned data start', () => {
    for (const shape of [[5], [2, 3, 4], [], [0, 2]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const t = { shape, data: Float32Array.from({ length: n }, (_, i) => Math.fround(i * 0.37 - 1)) };
      const bytes = writeNpy(t);
      const headerLen = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLen) % 64).toBe(0);
      expect(readNpy(bytes, 'rt.npy')).toEqual(t);
    }
  });

  it('writes the header NumPy writes', () => {
    const bytes = writeNpy({ shape: [2, 3, 4], data: Float32Array.from(expected) });
    expect(bytes).toEqual(fixture('v1_f4.npy'));
  });

  it('half-precision conversion is exact both ways on representable values', () => {
    for (const x of [0, -0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8, Infinity]) {
      expect(halfToFloat(floatToHalf(x))).toBe(x);
    }
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(floatToHalf(70000)).toBe(0x7c00); // overflow to infinity
  });
});

describe('readNpy rejects malformed files with one clear error each', () => {
  it('bad magic', () => expectError(new TextEncoder().encode('PK\x03\x04 this is a zip file'), 'NET3011', /missing the \\x93NUMPY magic/));

  it('fortran order', () => expectError(fixture('fortran.npy'), 'NET3015', /fortran_order True is not supported/));

  it('truncated data', () => {
    const good = fixture('v1_f4.npy');
    expectError(good.subarray(0, good.length - 1), 'NET3010', /needs 96 bytes of data, the file has 95/);
  });

  it('trailing bytes after the data', () => {
    const good = fixture('v1_f4.npy');
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expectError(longer, 'NET3013', /4 bytes follow the data/);
  });

  it('integer dtype', () => expectError(fixture('int64.npy'), 'NET3012', /unsupported dtype <i8/));

  it('unknown format version', () => {
    const b = fixture('v1_f4.npy').slice();
    b[6] = 9;
    expectError(b, 'NET3011', /unknown .npy format version 9/);
  });

  it('header length past the end', () => {
    const b = fixture('v1_f4.npy').slice(0, 40);
    expectError(b, 'NET3010', /header needs 118 bytes/);
  });

  it('too short for a preamble', () => expectError(new Uint8Array([0x93, 0x4e]), 'NET3010', /too short/));

  it('header that is not a dict', () => expectError(npy("['descr', '<f4']\n", 0), 'NET3011', /header dictionary expected \{/));

  it('header with a bad shape', () =>
    expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }\n", 0), 'NET3011', /'shape' is not a tuple of non-negative integers/));

  it('header nesting beyond what np.save writes', () =>
    expectError(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(5000)}, }\n`, 0), 'NET3011', /nests tuples too deeply/));

  it('huge shape with a tiny file', () =>
    expectError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000), }\n", 4), 'NET3014', /exceeds the limit/));

  it('in-limit shape the file does not hold', () =>
    expectError(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (10000, 10000), }\n", 4), 'NET3010', /needs 800000000 bytes of data, the file has 4/));
});
