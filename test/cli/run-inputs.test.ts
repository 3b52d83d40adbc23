/**
 * `netc run` fed every kind of wrong input, on both backends: each is a diagnostic (exit 1)
 * naming the file, the tensor and, for shapes, the expected and actual shapes; never an
 * internal error, and the interpreter and the Wasm module report the same.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/io/npy.ts';
import { writeSafetensors } from '../../src/io/safetensors.ts';
import type { Tensor } from '../../src/ir/tensor.ts';
import { netc } from '../support/cli.ts';

const PAIR = `network Pair {
  in a: f32[1, 2, 4, 4]
  in b: f32[1, 2, 4, 4]
  out y = add(a, b) |> c: conv(3, k=1)
}
`;

function zeros(shape: number[]): Tensor {
  return { shape, data: new Float32Array(shape.reduce((p, d) => p * d, 1)) };
}

/** An .npy file of 32-bit integers, written by hand (netc writes float32 only). */
function int32Npy(shape: number[]): Uint8Array {
  let header = `{'descr': '<i4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const count = shape.reduce((p, d) => p * d, 1);
  const out = new Uint8Array(10 + header.length + 4 * count);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

interface WrongInput {
  what: string;
  files: Record<string, Uint8Array | string>;
  inputs: string[];
  code: string;
  /** Fragments the message must contain: the file, the tensor, the shapes. */
  says: string[];
}

const good = writeNpy(zeros([1, 2, 4, 4]));
const both = writeSafetensors(new Map([['a', zeros([1, 2, 4, 4])], ['b', zeros([1, 2, 4, 4])]]));

const CASES: WrongInput[] = [
  {
    what: 'wrong shape',
    files: { 'a.npy': good, 'b.npy': writeNpy(zeros([1, 2, 4, 5])) },
    inputs: ['a.npy', 'b.npy'],
    code: 'NET3004',
    says: ['input b is [1, 2, 4, 5] in b.npy, the network expects [1, 2, 4, 4]'],
  },
  {
    what: 'wrong rank',
    files: { 'in.safetensors': writeSafetensors(new Map([['a', zeros([1, 2, 4, 4])], ['b', zeros([2, 4, 4])]])) },
    inputs: ['in.safetensors'],
    code: 'NET3004',
    says: ['input b is [2, 4, 4] in in.safetensors, the network expects [1, 2, 4, 4]'],
  },
  {
    what: 'wrong dtype',
    files: { 'a.npy': good, 'b.npy': int32Npy([1, 2, 4, 4]) },
    inputs: ['a.npy', 'b.npy'],
    code: 'NET3012',
    says: ['b.npy', 'unsupported dtype <i4'],
  },
  {
    what: 'missing tensor',
    files: { 'in.safetensors': writeSafetensors(new Map([['a', zeros([1, 2, 4, 4])]])) },
    inputs: ['in.safetensors'],
    code: 'NET3005',
    says: ['network Pair takes 2 input(s) (a, b)', 'no tensor for b in in.safetensors'],
  },
  {
    what: 'extra tensor',
    files: { 'in.safetensors': writeSafetensors(new Map([['a', zeros([1, 2, 4, 4])], ['b', zeros([1, 2, 4, 4])], ['mask', zeros([4])]])) },
    inputs: ['in.safetensors'],
    code: 'NET3006',
    says: ['in.safetensors: tensor mask is not an input of network Pair (inputs: a, b)'],
  },
  {
    what: 'one file too many',
    files: { 'a.npy': good, 'b.npy': good, 'c.npy': good },
    inputs: ['a.npy', 'b.npy', 'c.npy'],
    code: 'NET3005',
    says: ['c.npy has no input left to feed'],
  },
  {
    what: 'truncated file',
    files: { 'in.safetensors': both.subarray(0, both.length - 10) },
    inputs: ['in.safetensors'],
    code: 'NET3010',
    says: ['in.safetensors is truncated'],
  },
  {
    what: 'truncated .npy',
    files: { 'a.npy': good, 'b.npy': good.subarray(0, good.length - 4) },
    inputs: ['a.npy', 'b.npy'],
    code: 'NET3010',
    says: ['b.npy is truncated'],
  },
  {
    what: 'wrong file kind (a .net source)',
    files: { 'in.safetensors': PAIR },
    inputs: ['in.safetensors'],
    code: 'NET3016',
    says: ['in.safetensors is a .net source, not an .npy or safetensors tensor file'],
  },
  {
    what: 'wrong file kind (an ONNX model)',
    files: { 'a.npy': good, 'b.npy': readFileSync('test/fixtures/reference/onnx/convbn_leaky.onnx') },
    inputs: ['a.npy', 'b.npy'],
    code: 'NET3016',
    says: ['b.npy is an ONNX model, not an .npy or safetensors tensor file'],
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netc-run-inputs-'));
  writeFileSync(join(dir, 'pair.net'), PAIR);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(c: Pick<WrongInput, 'files' | 'inputs'>, backend: string) {
  const sub = mkdtempSync(join(dir, 'case-'));
  writeFileSync(join(sub, 'pair.net'), PAIR);
  for (const [name, bytes] of Object.entries(c.files)) writeFileSync(join(sub, name), bytes);
  return netc(['run', 'pair.net', '--random-weights', '0', '--backend', backend, ...c.inputs.flatMap((i) => ['--input', i])], { cwd: sub });
}

describe.each(['interp', 'wasm'])('netc run --backend %s', (backend) => {
  it.each(CASES)('$what: $code naming the file and tensor', async (c) => {
    const r = await run(c, backend);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[${c.code}]`);
    for (const s of c.says) expect(r.stderr).toContain(s);
    // Located at the file itself, never at a placeholder.
    expect(r.stderr).not.toContain('<tensor file>');
  });

  it('reads a file by its content, not its name', async () => {
    expect((await run({ files: { 'in.npy': both }, inputs: ['in.npy'] }, backend)).code).toBe(0);
  });

  it('runs on good inputs from .npy and safetensors files', async () => {
    expect((await run({ files: { 'a.npy': good, 'b.npy': good }, inputs: ['a.npy', 'b.npy'] }, backend)).code).toBe(0);
    expect((await run({ files: { 'in.safetensors': both }, inputs: ['in.safetensors'] }, backend)).code).toBe(0);
  });

  it('a missing input file is a usage error in the common wording', async () => {
    const r = await run({ files: {}, inputs: ['nope.npy'] }, backend);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('netc run: cannot read nope.npy: no such file\n');
  });
});
