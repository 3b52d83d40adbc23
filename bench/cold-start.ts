/**
 * Cold start of a network: the time from nothing to the first result, as an application
 * sees it. netc: the generated loader's `load(bytes)` (compiling and instantiating the
 * module, copying or expanding weights) and the first `run()`. onnxruntime-web:
 * `InferenceSession.create(model bytes)` and the first `session.run()`.
 *
 * Each measurement runs in a process of its own (cold-child.ts), three per contender,
 * alternating, and the median is reported. In the bench's own process neither figure would be
 * cold in the way an application's is: onnxruntime-web reuses the heap pages that earlier
 * networks grew and touched (fresh pages cost about 2.7 ms per MB on the bench machine),
 * and netc's module is compiled while binaryen's own code tiers up in the background.
 * In a new process both engines' kernels also start in V8's baseline code until they tier
 * up; that is part of what an application waits for. Importing either library and
 * onnxruntime-web starting its runtime are not counted.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, type Contender } from './contender.ts';
import type { ColdStart } from './networks.ts';

interface Input {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface LoadedModel {
  run(x: Float32Array | Record<string, Float32Array>): Float32Array | Record<string, Float32Array>;
  kernels: 'exact' | 'relaxed';
}

type LoaderModule = { load(source: Uint8Array, options?: { simd?: 'auto' | 'exact' }): Promise<LoadedModel> };

const dir = mkdtempSync(join(tmpdir(), 'netc-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Write the generated loader and import it (not timed). */
async function importLoader(tag: string, loader: string): Promise<LoaderModule> {
  const file = join(dir, `${tag}.loader.js`);
  writeFileSync(file, loader);
  return (await import(pathToFileURL(file).href)) as LoaderModule;
}

const feed = (inputs: Input[]): Float32Array | Record<string, Float32Array> =>
  inputs.length === 1 ? inputs[0]!.data : Object.fromEntries(inputs.map((x) => [x.name, x.data]));

const first = (y: Float32Array | Record<string, Float32Array>): Float32Array => (y instanceof Float32Array ? y : Object.values(y)[0]!);

const child = join(dirname(fileURLToPath(import.meta.url)), 'cold-child.ts');
const RUNS = 3;

/** One cold start in a new process (the same Node flags and loader as this one). */
function coldRun(kind: 'netc' | 'ort', tag: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...process.execArgv, child, kind, dir, tag], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`cold start (${kind}, ${tag}) failed: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      resolve((JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number }).ms);
    });
  });
}

let warmUpWritten = false;

/** A one-node model for onnxruntime-web to start its runtime with (not timed). */
async function writeWarmUpModel(): Promise<void> {
  if (warmUpWritten) return;
  const api = await import('../src/api.ts');
  const { exportOnnx } = await import('../src/io/onnx/export.ts');
  const tiny = await api.compile('network WarmUp {\n  in x: f32[1, 1, 2, 2]\n  out y = x |> relu\n}\n', { file: 'warm-up.net', passes: [] });
  if (!tiny.graph) throw new Error('cold start: the warm-up model did not compile');
  writeFileSync(join(dir, 'warm-up.onnx'), exportOnnx(tiny.graph, new Map(), { opset: 17 }));
  warmUpWritten = true;
}

export async function coldStart(tag: string, wasm: Uint8Array, loader: string, onnx: Uint8Array | undefined, inputs: Input[]): Promise<ColdStart> {
  writeFileSync(join(dir, `${tag}.js`), loader);
  writeFileSync(join(dir, `${tag}.wasm`), wasm);
  writeFileSync(join(dir, `${tag}.inputs.json`), JSON.stringify(inputs.map((x) => ({ name: x.name, shape: x.shape, bytes: x.data.byteLength }))));
  writeFileSync(join(dir, `${tag}.inputs.bin`), Buffer.concat(inputs.map((x) => new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength))));
  if (onnx) {
    await writeWarmUpModel();
    writeFileSync(join(dir, `${tag}.onnx`), onnx);
  }
  const netcMs: number[] = [];
  const peerMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which contender goes first, so neither always meets a machine the other just warmed.
    if (i % 2 === 0) {
      netcMs.push(await coldRun('netc', tag));
      if (onnx) peerMs.push(await coldRun('ort', tag));
    } else {
      if (onnx) peerMs.push(await coldRun('ort', tag));
      netcMs.push(await coldRun('netc', tag));
    }
  }
  return { netcMs: median(netcMs), peerMs: onnx ? median(peerMs) : undefined, peer: onnx ? 'onnxruntime-web' : undefined };
}

/** A timed contender that runs through the generated loader (relaxed kernels where the engine has them). */
export async function loaderContender(name: string, tag: string, wasm: Uint8Array, loader: string, inputs: Input[]): Promise<Contender> {
  const mod = await importLoader(tag, loader);
  const model = await mod.load(wasm);
  if (name.includes('relaxed') && model.kernels !== 'relaxed') throw new Error('the loader chose the exact kernels (no relaxed SIMD here)');
  let last: Float32Array = new Float32Array(0);
  return {
    name,
    run() {
      last = first(model.run(feed(inputs)));
    },
    output: () => last,
  };
}
