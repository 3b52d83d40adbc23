/**
 * Relaxed SIMD (`--relaxed-simd`): the relaxed code module carried in a custom section, and
 * the generated loader's choice. Both paths against the interpreter: the exact one in this
 * process (Node 20 has no relaxed SIMD by default), the relaxed one in a child Node with
 * `--experimental-wasm-relaxed-simd` (or here, on an engine that has it). Where neither
 * accepts relaxed SIMD, the relaxed run is skipped with a notice.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { compile } from '../../src/api.ts';
import { runGraph } from '../../src/interp/run.ts';
import { randomWeights } from '../../src/io/randomWeights.ts';
import { RELAXED_SECTION } from '../../src/wasm/data-section.ts';
import { randomTensor, relL2, rng } from './harness.ts';

// c1 goes to Winograd (its filter transform then runs in the relaxed module too), c2 to the
// matrix-product engine, c3 through the stride phases, d to the direct kernel, e and f (5
// channels, 7x7 and 4x4: tails of 3 and 0 lanes) to the depthwise kernel at stride 1 and 2.
const NET = `
network Mixed {
  in x: f32[1, 12, 14, 14]
  a = x |> c1: conv(24, k=3, pad=1) |> relu
  b = a |> c2: conv(16, k=1) |> relu
  out y = b |> c3: conv(8, k=3, stride=2, pad=1) |> d: conv(4, k=3, pad=1, groups=4)
    |> p: conv(5, k=1) |> e: conv(5, k=3, pad=1, groups=5) |> relu6 |> f: conv(5, k=3, stride=2, pad=1, groups=5)
}
`;

// The loader's probe: a function of one f32x4.relaxed_madd.
const PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 133, 2, 11]);
const FLAG = '--experimental-wasm-relaxed-simd';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Loaded = { run(x: Float32Array): Float32Array; kernels: string };

async function setUp() {
  const result = await compile(NET, { file: 'mixed.net', randomWeights: 6, relaxedSimd: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), 'netc-relaxed-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'model.wasm'), result.wasm!);
  writeFileSync(join(dir, 'model.js'), result.loader!);
  const graph = result.graph!;
  const params = [...new Map(graph.nodes.flatMap((n) => Object.values(n.params)).map((p) => [p.name, p])).values()];
  const x = randomTensor([1, 12, 14, 14], rng(12));
  const ref = runGraph(graph, randomWeights(params, 6), [x]).get('y')!.data;
  return { result, dir, x, ref };
}

describe('relaxed SIMD', () => {
  test('the relaxed code rides in a custom section and uses relaxed_madd; the exact code runs here unless relaxed SIMD is on', async () => {
    const { result, dir, x, ref } = await setUp();
    const section = WebAssembly.Module.customSections(new WebAssembly.Module(result.wasm! as Uint8Array<ArrayBuffer>), RELAXED_SECTION);
    expect(section.length).toBe(1);
    const here = WebAssembly.validate(PROBE);
    // It validates exactly where relaxed instructions do: it contains some.
    expect(WebAssembly.validate(new Uint8Array(section[0]!))).toBe(here);
    const mod = (await import(/* @vite-ignore */ pathToFileURL(join(dir, 'model.js')).href)) as { load(s: string, o?: object): Promise<Loaded> };
    const auto = await mod.load(join(dir, 'model.wasm'));
    expect(auto.kernels).toBe(here ? 'relaxed' : 'exact');
    expect(relL2(auto.run(x.data), ref)).toBeLessThan(1e-5);
    const exact = await mod.load(join(dir, 'model.wasm'), { simd: 'exact' });
    expect(exact.kernels).toBe('exact');
    expect(relL2(exact.run(x.data), ref)).toBeLessThan(1e-5);
  });

  test(`the relaxed code in a Node with ${FLAG}`, async (ctx) => {
    const accepted = spawnSync(process.execPath, [FLAG, '-e', '0'], { encoding: 'utf8' });
    if (accepted.status !== 0) {
      console.log(`relaxed SIMD run skipped: this Node does not accept ${FLAG} (${accepted.stderr.trim().split('\n')[0]})`);
      ctx.skip();
      return;
    }
    const { dir, x, ref } = await setUp();
    writeFileSync(join(dir, 'x.bin'), x.data);
    const script = `
      import { readFileSync, writeFileSync } from 'node:fs';
      const { load } = await import(${JSON.stringify(pathToFileURL(join(dir, 'model.js')).href)});
      const model = await load(${JSON.stringify(join(dir, 'model.wasm'))});
      const x = new Float32Array(readFileSync(${JSON.stringify(join(dir, 'x.bin'))}).buffer.slice(0));
      writeFileSync(${JSON.stringify(join(dir, 'y.bin'))}, model.run(x));
      console.log(model.kernels);
    `;
    const child = spawnSync(process.execPath, [FLAG, '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('relaxed');
    const buf = readFileSync(join(dir, 'y.bin'));
    const y = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    expect(relL2(y, ref)).toBeLessThan(1e-5);
  });
});
