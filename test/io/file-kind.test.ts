import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TensorFileError } from '../../src/io/errors.ts';
import { requireFileKind, sniffFileKind } from '../../src/io/file-kind.ts';
import { writeNpy } from '../../src/io/npy.ts';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors.ts';
import { readNpy } from '../../src/io/npy.ts';

const tensor = { shape: [2, 3], data: new Float32Array(6) };
const npy = writeNpy(tensor);
const safetensors = writeSafetensors(new Map([['w', tensor]]));
const onnx = new Uint8Array(readFileSync('test/fixtures/reference/onnx/convbn_leaky.onnx'));
const net = new TextEncoder().encode(readFileSync('examples/dcgan.net', 'utf8'));

describe('sniffFileKind', () => {
  it('tells the kinds apart by their first bytes', () => {
    expect(sniffFileKind(npy)).toBe('npy');
    expect(sniffFileKind(safetensors)).toBe('safetensors');
    expect(sniffFileKind(onnx)).toBe('onnx');
    expect(sniffFileKind(net)).toBe('net');
    expect(sniffFileKind(new TextEncoder().encode('rename:\n  - { from: a, to: b }\n'))).toBe('text');
    expect(sniffFileKind(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBe('unknown');
    expect(sniffFileKind(new Uint8Array(0))).toBe('unknown');
  });

  it('does not take a safetensors header length past the end of the file for one', () => {
    const cut = safetensors.subarray(0, 20);
    expect(sniffFileKind(cut)).not.toBe('safetensors');
  });
});

describe('readers name a file of the wrong kind (NET3016)', () => {
  const kindError = (f: () => unknown): TensorFileError => {
    try {
      f();
    } catch (e) {
      return e as TensorFileError;
    }
    throw new Error('no error');
  };

  it('an .npy array or an ONNX model given as safetensors', () => {
    const e = kindError(() => readSafetensors(npy, 'w.npy'));
    expect(e.code).toBe('NET3016');
    expect(e.message).toBe('w.npy is an .npy array, not a safetensors file');
    expect(kindError(() => readSafetensors(onnx, 'm.onnx')).message).toBe('m.onnx is an ONNX model, not a safetensors file');
    expect(kindError(() => readSafetensors(net, 'd.net')).message).toBe('d.net is a .net source, not a safetensors file');
  });

  it('a safetensors file given as .npy', () => {
    expect(kindError(() => readNpy(safetensors, 'x.npy')).message).toBe('x.npy is a safetensors file, not an .npy array');
  });

  it('passes a file of unknown kind on to the reader', () => {
    expect(requireFileKind(new Uint8Array([1, 2, 3]), 'f', ['npy'], 'an .npy array')).toBe('unknown');
    expect(requireFileKind(new TextEncoder().encode('hello'), 'f.net', ['net'], 'a .net source')).toBe('net');
  });
});
