/** `netc summary`, `build`, `run` and `verify` end to end (in-process, temp directories). */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/io/npy.ts';
import { readSafetensors } from '../../src/io/safetensors.ts';
import { netc } from '../support/cli.ts';

const MODEL = resolve('test/fixtures/models/inception_3a.net');
const SMALL = `network Small {
  in x: f32[1, 3, 16, 16]
  a = x |> c1: conv(8, k=3, pad=1) |> bn1: bn |> relu
  b = x |> c2: conv(8, k=1) |> relu
  out y = concat(a, b, axis=1) |> maxpool(k=2) |> c3: conv(4, k=1)
}
`;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'netc-build-'));
}

describe('netc summary', () => {
  it('reproduces the PyTorch counts of inception_3a', async () => {
    const r = await netc(['summary', '--json', MODEL]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.totals.params).toBe(163_696);
    expect(s.totals.macs).toBe(128_049_152);
    expect(s.layers.find((l: { name: string }) => l.name === 'p2_2').shape).toEqual([1, 128, 28, 28]);
    expect(s.totals.arenaBytes).toBeGreaterThan(0);
  });
  it('prints a table', async () => {
    const r = await netc(['summary', MODEL]);
    expect(r.stdout).toMatch(/parameters\s+163,696/);
    expect(r.stdout).toMatch(/p3_2\s+conv\s+\[1, 32, 28, 28\]\s+12,832\s+10,035,200/);
  });
});

describe('netc build', () => {
  it('writes the module, loader and types, and the loader runs it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'small.net'), SMALL);
    const r = await netc(['build', 'small.net', '--random-weights', '3', '--explain', '--emit', 'wat'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['small.wasm', 'small.js', 'small.d.ts', 'small.wat']) expect(existsSync(join(dir, f))).toBe(true);
    expect(r.stdout).toMatch(/folded 1 batch norm/);
    expect(r.stdout).toMatch(/arena/);
    expect(readFileSync(join(dir, 'small.d.ts'), 'utf8')).toMatch(/16/);
    const mod = await import(pathToFileURL(join(dir, 'small.js')).href);
    const net = await mod.load(join(dir, 'small.wasm'));
    const y = net.run(new Float32Array(3 * 16 * 16).fill(0.5));
    expect(y.length).toBe(4 * 8 * 8);
    expect(() => net.run(new Float32Array(5))).toThrow(/768 values/);
  });

  it('builds byte-identical modules twice, and external weights on request', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'small.net'), SMALL);
    await netc(['build', 'small.net', '--random-weights', '3', '-o', 'a.wasm'], { cwd: dir });
    await netc(['build', 'small.net', '--random-weights', '3', '-o', 'b.wasm'], { cwd: dir });
    expect(Buffer.compare(readFileSync(join(dir, 'a.wasm')), readFileSync(join(dir, 'b.wasm')))).toBe(0);
    const ext = await netc(['build', 'small.net', '--random-weights', '3', '--weights-external', '-o', 'c.wasm'], { cwd: dir });
    expect(ext.code).toBe(0);
    expect(existsSync(join(dir, 'c.weights.bin'))).toBe(true);
    expect(readFileSync(join(dir, 'c.wasm')).length).toBeLessThan(readFileSync(join(dir, 'a.wasm')).length);
  });

  it('reports a network too large for 32-bit Wasm memory at its input, without allocating it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'huge.net'), 'network Huge {\n  in x: f32[1, 64, 256, 256, 96]\n  out y = x |> c1: conv(64, k=3, pad=1) |> relu\n}\n');
    const r = await netc(['build', 'huge.net', '--random-weights', '0'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[NET4002\]/);
    expect(r.stderr).toMatch(/--> huge\.net:2:/);
    expect(existsSync(join(dir, 'huge.wasm'))).toBe(false);
  });

  it('dumps the IR after a chosen pass, and validates pass names', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'small.net'), SMALL);
    const before = await netc(['build', 'small.net', '--no-opt', '--dump-ir'], { cwd: dir });
    expect(before.stdout).toMatch(/batchnorm/);
    const after = await netc(['build', 'small.net', '--dump-ir=after:fold-batchnorm'], { cwd: dir });
    expect(after.code).toBe(0);
    expect(after.stdout).not.toMatch(/batchnorm/);
    expect((await netc(['build', 'small.net', '--passes', 'nope'], { cwd: dir })).code).toBe(2);
    expect((await netc(['build', 'small.net'], { cwd: dir })).code).toBe(2); // weights needed
  });
});

describe('netc run and verify', () => {
  it('runs with the interpreter and the Wasm backend to the same result', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'small.net'), SMALL);
    const x = new Float32Array(3 * 16 * 16).map((_, i) => Math.sin(i));
    writeFileSync(join(dir, 'x.npy'), writeNpy({ shape: [1, 3, 16, 16], data: x }));
    const a = await netc(['run', 'small.net', '--input', 'x.npy', '--random-weights', '1', '-o', 'a.safetensors'], { cwd: dir });
    const b = await netc(['run', 'small.net', '--input', 'x.npy', '--random-weights', '1', '--backend', 'wasm', '-o', 'b.safetensors'], { cwd: dir });
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const ya = readSafetensors(readFileSync(join(dir, 'a.safetensors')), 'a').get('y')!;
    const yb = readSafetensors(readFileSync(join(dir, 'b.safetensors')), 'b').get('y')!;
    expect(ya.shape).toEqual([1, 4, 8, 8]);
    let num = 0;
    let den = 0;
    ya.data.forEach((v, i) => ((num += (v - yb.data[i]!) ** 2), (den += v * v)));
    expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
  });

  it('reports a wrong input shape and a truncated tensor file cleanly', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'small.net'), SMALL);
    writeFileSync(join(dir, 'x.npy'), writeNpy({ shape: [1, 3, 8, 8], data: new Float32Array(192) }));
    const r = await netc(['run', 'small.net', '--input', 'x.npy', '--random-weights', '1'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NET3004/);
    // The input's shape is checked before weights are read: give a right one for the weights' error.
    writeFileSync(join(dir, 'x.npy'), writeNpy({ shape: [1, 3, 16, 16], data: new Float32Array(768) }));
    writeFileSync(join(dir, 'w.safetensors'), new Uint8Array([200, 0, 0, 0, 0, 0, 0, 0, 123]));
    const w = await netc(['run', 'small.net', '--input', 'x.npy', '--weights', 'w.safetensors'], { cwd: dir });
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/NET301\d/);
    expect(w.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('verify passes on a reference model and prints the error', async () => {
    const r = await netc(['verify', MODEL, '--runs', '1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok: worst relative L2 \d\.\d+e-\d/);
  });

  it('prints the warnings of the check before a missing-weights usage error', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'small.net'), SMALL);
    const r = await netc(['export', 'small.net', '-o', 'm.onnx', '--bind', 'Q=3'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/warning\[NET1037\][\s\S]*this network has weights/);
  });
});
