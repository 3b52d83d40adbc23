/**
 * Modules built for threads (wasm/threads.ts, kernels/split.ts) through their generated
 * loader in Node: on two worker threads, on one, and without threads, outputs must be
 * bit-identical to the single-thread module's (split work, same kernels); a loader
 * without shared memory (SharedArrayBuffer removed, as on a page without cross-origin
 * isolation) runs on one thread, warns once and gives the same output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { compile, type CompileResult } from '../../src/api.ts';
import { netc } from '../support/cli.ts';
import { rng, randomTensor } from './harness.ts';

interface Model {
  run(x: unknown): Float32Array | Record<string, Float32Array>;
  threads: number;
  close(): void;
}
type LoaderModule = { load(source: unknown, options?: unknown): Promise<Model> };

/** Networks whose convs are large enough to be split: every conv path, epilogues, views. */
const CASES: { name: string; source: string }[] = [
  {
    // Winograd and GEMM 3x3 convs, a 1x1 conv with a residual add, a concat of split convs.
    name: 'residual and concat',
    source: `network ResCat {
  in x: f32[1, 32, 24, 24]
  a = x |> a1: conv(64, k=3, pad=1) |> relu
  b = a |> b1: conv(32, k=1)
  r = add(b, x) |> relu
  c = r |> c1: conv(48, k=3, pad=1) |> relu
  d = r |> d1: conv(40, k=5, pad=2) |> relu
  out y = concat(c, d, axis=1) |> maxpool(k=2)
}`,
  },
  {
    // Strided 2-D conv, transposed conv, an odd channel count.
    name: 'strided and transposed',
    source: `network UpDown {
  in x: f32[1, 24, 32, 32]
  out y = x |> s: conv(60, k=3, stride=2, pad=1) |> relu |> t: conv_transpose(36, k=4, stride=2, pad=1) |> sigmoid
}`,
  },
  {
    // 3-D convs, batch of 2.
    name: '3-D, batch 2',
    source: `network Vol {
  in x: f32[2, 8, 12, 12, 12]
  out y = x |> v1: conv(32, k=3, pad=1) |> relu |> v2: conv(16, k=3, pad=1)
}`,
  },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function write(result: CompileResult, tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `netc-threads-${tag}-`));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.wasm'), result.wasm!);
  writeFileSync(join(dir, 'model.js'), result.loader!);
  return dir;
}

async function loader(dir: string): Promise<LoaderModule> {
  return (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'model.js')).href)) as LoaderModule;
}

const same = (a: Float32Array, b: Float32Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('modules built for threads', () => {
  for (const c of CASES) {
    test(`${c.name}: two threads, one thread and the single-thread module agree bit for bit`, async () => {
      const plain = await compile(c.source, { randomWeights: 3 });
      const threaded = await compile(c.source, { randomWeights: 3, threads: 2, emitText: true });
      expect(threaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(threaded.layout!.threads).toBe(2);
      // The work really is split: threads meet at barriers only around split convs.
      expect(threaded.wat).toMatch(/\(call \$barrier\)/);
      const input = threaded.layout!.inputs[0]!;
      const x = randomTensor(input.shape, rng(11)).data;
      const base = (await (await loader(write(plain, 'plain'))).load(plain.wasm!)).run(x) as Float32Array;
      const mod = await loader(write(threaded, 'thr'));
      const two = await mod.load(threaded.wasm!, { threads: 2 });
      const one = await mod.load(threaded.wasm!);
      expect(two.threads).toBe(2);
      expect(one.threads).toBe(1);
      for (let r = 0; r < 3; r++) {
        expect(same(two.run(x) as Float32Array, base)).toBe(true);
        expect(same(one.run(x) as Float32Array, base)).toBe(true);
      }
      two.close();
      expect(() => two.run(x)).toThrow(/after close/);
    }, 120_000);
  }

  test('threads beyond the build run as many as it has; bad counts are errors', async () => {
    const threaded = await compile(CASES[1]!.source, { randomWeights: 3, threads: 2 });
    const mod = await loader(write(threaded, 'cap'));
    const model = await mod.load(threaded.wasm!, { threads: 8 });
    expect(model.threads).toBe(2);
    model.close();
    await expect(mod.load(threaded.wasm!, { threads: 0 })).rejects.toThrow(/threads must be a whole number/);
    await expect(mod.load(threaded.wasm!, { threads: 1.5 })).rejects.toThrow(/threads must be a whole number/);
  }, 120_000);

  test('without shared memory, or built without threads: one thread, one warning, the same output', async () => {
    const source = CASES[0]!.source;
    const threaded = await compile(source, { randomWeights: 3, threads: 2 });
    const plain = await compile(source, { randomWeights: 3 });
    const dir = write(threaded, 'nosab');
    const plainDir = write(plain, 'plainwarn');
    const input = threaded.layout!.inputs[0]!;
    const x = randomTensor(input.shape, rng(11)).data;
    writeFileSync(join(dir, 'x.bin'), x);
    const expected = (await (await loader(plainDir)).load(plain.wasm!)).run(x) as Float32Array;
    writeFileSync(join(dir, 'expected.bin'), expected);
    // A separate process, so that removing SharedArrayBuffer touches no other test.
    const script = `
      delete globalThis.SharedArrayBuffer;
      const warnings = [];
      console.warn = (m) => warnings.push(String(m));
      const { readFileSync } = await import('node:fs');
      const here = ${JSON.stringify(dir)};
      const { load } = await import(${JSON.stringify(pathToFileURL(join(dir, 'model.js')).href)});
      const bytes = (f) => new Float32Array(new Uint8Array(readFileSync(here + '/' + f)).buffer);
      const x = bytes('x.bin'), want = bytes('expected.bin');
      const a = await load(here + '/model.wasm', { threads: 2 });
      const b = await load(here + '/model.wasm', { threads: 2 });
      const ya = a.run(x), yb = b.run(x);
      const same = (p, q) => p.length === q.length && p.every((v, i) => Object.is(v, q[i]));
      const plain = await import(${JSON.stringify(pathToFileURL(join(plainDir, 'model.js')).href)});
      const c = await plain.load(${JSON.stringify(join(plainDir, 'model.wasm'))}, { threads: 2 });
      console.log(JSON.stringify({ threads: [a.threads, b.threads, c.threads], same: same(ya, want) && same(yb, want) && same(c.run(x), want), warnings }));
    `;
    writeFileSync(join(dir, 'check.mjs'), script);
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'check.mjs')], { encoding: 'utf8' }).trim()) as { threads: number[]; same: boolean; warnings: string[] };
    expect(out.threads).toEqual([1, 1, 1]);
    expect(out.same).toBe(true);
    // Once per loader: the threaded module's reason, then the plain module's.
    expect(out.warnings).toHaveLength(2);
    expect(out.warnings[0]).toMatch(/running on one thread: SharedArrayBuffer is not available/);
    expect(out.warnings[1]).toMatch(/running on one thread: the module was built without threads/);
  }, 120_000);

  test('netc build --threads N: the split convs in --explain, a threaded loader; bad values are usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-threads-cli-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'up.net'), CASES[1]!.source);
    const r = await netc(['build', 'up.net', '--random-weights', '2', '--threads', '2', '--explain'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/s: split over 2 threads by output channels: 0-31, 32-59/);
    expect(r.stdout).toMatch(/built for up to 2 threads/);
    const { load } = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'up.js')).href)) as LoaderModule;
    const model = await load(join(dir, 'up.wasm'), { threads: 2 });
    expect(model.threads).toBe(2);
    model.close();
    for (const [args, message] of [
      [['--threads', '0'], /--threads takes a whole number from 1 to 64/],
      [['--threads', 'two'], /--threads takes a whole number/],
      [['--threads', '2', '--relaxed-simd'], /cannot be combined/],
      [['--threads', '2', '--weights-dtype', 'f16'], /cannot be combined/],
    ] as [string[], RegExp][]) {
      const bad = await netc(['build', 'up.net', '--random-weights', '2', ...args], { cwd: dir });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  }, 120_000);
});
