/**
 * One cold start in a process of its own, as an application meets it: a fresh V8 heap and
 * fresh memory pages, and no compiler (binaryen) tiering up its own code in the background.
 *
 *   cold-child.ts netc <dir> <tag>   the generated loader's load() and the first run()
 *   cold-child.ts ort <dir> <tag>    InferenceSession.create() and the first session.run()
 *
 * Not timed, for either: importing the library (netc's loader, onnxruntime-web), reading the
 * model bytes and inputs from disk, and for onnxruntime-web starting its runtime (a session
 * of a one-node model, so the heap it grows for the measured model is counted, as netc's
 * memory is). Prints the milliseconds as JSON on stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadOrt, ortFeeds, SESSION_OPTIONS } from './peers/ort.ts';

interface InputFile {
  name: string;
  shape: number[];
  bytes: number;
}

const [kind, dir, tag] = process.argv.slice(2) as [string, string, string];
const specs = JSON.parse(readFileSync(join(dir, `${tag}.inputs.json`), 'utf8')) as InputFile[];
const raw = readFileSync(join(dir, `${tag}.inputs.bin`));
let at = 0;
const inputs = specs.map((s) => {
  const data = new Float32Array(raw.buffer.slice(raw.byteOffset + at, raw.byteOffset + at + s.bytes));
  at += s.bytes;
  return { name: s.name, shape: s.shape, data };
});
const feed = inputs.length === 1 ? inputs[0]!.data : Object.fromEntries(inputs.map((x) => [x.name, x.data]));

let ms: number;
if (kind === 'netc') {
  const mod = (await import(pathToFileURL(join(dir, `${tag}.js`)).href)) as {
    load(source: Uint8Array, options?: { simd?: 'auto' | 'exact' }): Promise<{ run(x: unknown): unknown }>;
  };
  const bytes = new Uint8Array(readFileSync(join(dir, `${tag}.wasm`)));
  const t0 = performance.now();
  const model = await mod.load(bytes, { simd: 'exact' });
  model.run(feed);
  ms = performance.now() - t0;
} else {
  const ort = await loadOrt();
  const warm = await ort.InferenceSession.create(new Uint8Array(readFileSync(join(dir, 'warm-up.onnx'))), { executionProviders: ['wasm'] });
  await warm.release();
  const model = new Uint8Array(readFileSync(join(dir, `${tag}.onnx`)));
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(model, SESSION_OPTIONS);
  await session.run(ortFeeds(ort, session.inputNames, inputs));
  ms = performance.now() - t0;
}
process.stdout.write(JSON.stringify({ ms }) + '\n');
