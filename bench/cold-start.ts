/**
 * Cold start of a network: the time from nothing to the first result, as an application
 * sees it. netc: the generated loader's `load(bytes)` (compiling and instantiating the
 * module, copying or expanding weights) and the first `run()`. onnxruntime-web:
 * `InferenceSession.create(model bytes)` and the first `session.run()`.
 *
 * Both are measured once per network, in this process, before the timed rows run the same
 * bytes: V8 keeps the compiled code of module bytes it has already compiled, so a second
 * load would not be cold. onnxruntime-web's own Wasm runtime is loaded once per process
 * (by the first row that uses it) and not counted; neither is importing netc's loader. The
 * two are run in alternating order from one network to the next.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Contender } from './contender.ts';
import type { ColdStart } from './networks.ts';
import { ortColdStart } from './peers/ort.ts';

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

/** Write the generated loader next to nothing else and import it (not timed). */
async function importLoader(tag: string, loader: string): Promise<LoaderModule> {
  const file = join(dir, `${tag}.js`);
  writeFileSync(file, loader);
  return (await import(pathToFileURL(file).href)) as LoaderModule;
}

const feed = (inputs: Input[]): Float32Array | Record<string, Float32Array> =>
  inputs.length === 1 ? inputs[0]!.data : Object.fromEntries(inputs.map((x) => [x.name, x.data]));

const first = (y: Float32Array | Record<string, Float32Array>): Float32Array => (y instanceof Float32Array ? y : Object.values(y)[0]!);

let order = 0;

export async function coldStart(tag: string, wasm: Uint8Array, loader: string, onnx: Uint8Array | undefined, inputs: Input[]): Promise<ColdStart> {
  const mod = await importLoader(tag, loader);
  const netc = async (): Promise<number> => {
    // A copy: the timed rows instantiate the original bytes later.
    const bytes = wasm.slice();
    const t0 = performance.now();
    const model = await mod.load(bytes, { simd: 'exact' });
    model.run(feed(inputs));
    return performance.now() - t0;
  };
  const peer = async (): Promise<number | undefined> => (onnx ? ortColdStart(onnx, inputs) : undefined);
  let netcMs: number;
  let peerMs: number | undefined;
  if (order++ % 2 === 0) {
    netcMs = await netc();
    peerMs = await peer();
  } else {
    peerMs = await peer();
    netcMs = await netc();
  }
  return { netcMs, peerMs, peer: onnx ? 'onnxruntime-web' : undefined };
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
