/**
 * The generated loader: `model.js`, an ES module with no dependencies that instantiates
 * `model.wasm` in Node (fs for paths and file: URLs) or a browser (fetch), copies external
 * weights in when the module was built without them, and wraps `run()` with input checks
 * (type, length, shape) and output copies; and `model.d.ts`, its types with the model's
 * input and output names and shapes. Modules built for threads are instantiated by the
 * part in loader-threads.ts.
 */
import type { MemoryLayout } from './codegen.ts';
import { RELAXED_SECTION, WEIGHTS_SECTION } from './data-section.ts';
import { THREADS_BODY } from './loader-threads.ts';
import { F16_SECTION } from './f16.ts';

export interface LoaderInfo {
  /** Network name, for comments and messages. */
  name: string;
  layout: MemoryLayout;
  /** The module was built with weightsExternal: the loader fetches them. */
  weightsExternal: boolean;
  /** Weights file name next to the .wasm (default: the .wasm name with .weights.bin). */
  weightsFile?: string;
}

export interface GeneratedLoader {
  js: string;
  dts: string;
}

const LOADER_BODY = String.raw`
const numel = (shape) => shape.reduce((a, b) => a * b, 1);
const isNode = typeof process !== 'undefined' && !!(process.versions && process.versions.node);
// A module whose one function is f32x4.relaxed_madd: valid where relaxed SIMD is.
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 133, 2, 11]);

async function readBytes(source, what) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new TypeError(MODEL + ': ' + what + ' must be a Uint8Array, ArrayBuffer, URL or path, got ' + Object.prototype.toString.call(source));
  }
  const text = String(source);
  const isFileUrl = source instanceof URL ? source.protocol === 'file:' : text.startsWith('file:');
  const isRemote = /^[a-z][a-z0-9+.-]*:/i.test(text) && !isFileUrl;
  if (isNode && !isRemote) {
    const fs = await import('node:fs/promises');
    const path = isFileUrl ? (await import('node:url')).fileURLToPath(text) : text;
    try {
      return new Uint8Array(await fs.readFile(path));
    } catch (e) {
      throw new Error(MODEL + ': cannot read ' + what + ' ' + path + ': ' + (e && e.message ? e.message : e));
    }
  }
  const response = await fetch(source);
  if (!response.ok) throw new Error(MODEL + ': cannot fetch ' + what + ' ' + text + ': HTTP ' + response.status);
  return new Uint8Array(await response.arrayBuffer());
}

function weightsLocation(source) {
  if (typeof source !== 'string' && !(source instanceof URL)) return undefined;
  const text = String(source);
  const slash = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  const dir = text.slice(0, slash + 1);
  const file = WEIGHTS_FILE !== undefined ? WEIGHTS_FILE : text.slice(slash + 1).replace(/\.wasm$/, '') + '.weights.bin';
  return source instanceof URL ? new URL(file, source) : dir + file;
}

function checkInput(spec, value) {
  let data = value;
  if (value && !(value instanceof Float32Array) && typeof value === 'object' && 'data' in value) {
    const shape = value.shape;
    if (shape !== undefined && (!Array.isArray(shape) || shape.length !== spec.shape.length || shape.some((d, i) => d !== spec.shape[i]))) {
      throw new RangeError(MODEL + ': input ' + spec.name + ' must have shape [' + spec.shape.join(', ') + '], got [' + (Array.isArray(shape) ? shape.join(', ') : String(shape)) + ']');
    }
    data = value.data;
  }
  if (!(data instanceof Float32Array)) {
    const got = data === null ? 'null' : data === undefined ? 'undefined' : (data.constructor && data.constructor.name) || typeof data;
    throw new TypeError(MODEL + ': input ' + spec.name + ' must be a Float32Array (float32 values), got ' + got);
  }
  const n = numel(spec.shape);
  if (data.length !== n) {
    throw new RangeError(MODEL + ': input ' + spec.name + ' has shape [' + spec.shape.join(', ') + '] (' + n + ' values), got ' + data.length + ' values');
  }
  return data;
}

// float16 weights: runs [byte address, count] of float32 values, from little-endian halves.
function expandF16(memory, runs, bytes) {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const e = (h >> 10) & 31, f = h & 1023, s = h & 0x8000 ? -1 : 1;
    table[h] = e === 0 ? s * f * 2 ** -24 : e === 31 ? (f ? NaN : s * Infinity) : s * (1 + f / 1024) * 2 ** (e - 15);
  }
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >> 1);
  let at = 0;
  for (const [offset, count] of runs) {
    const dst = new Float32Array(memory.buffer, offset, count);
    for (let i = 0; i < count; i++) dst[i] = table[halves[at++]];
  }
}

export async function load(source, options = {}) {
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new RangeError(MODEL + ': options.threads must be a whole number from 1, got ' + String(options.threads));
  }
  const bytes = await readBytes(source, 'module');
  let module, instance, memory, threads = 1, pool;
  if (THREADS > 1) ({ module, instance, memory, threads, pool } = await instantiateThreaded(bytes, options));
  else {
    if (options.threads > 1) warnOneThread('the module was built without threads (netc build --threads N)');
    ({ module, instance } = await WebAssembly.instantiate(bytes, {}));
    memory = instance.exports.memory;
  }
  if (WEIGHTS.external) {
    const where = options.weights !== undefined ? options.weights : weightsLocation(source);
    if (where === undefined) throw new Error(MODEL + ': the module was built with external weights; pass options.weights (bytes, URL or path)');
    const w = await readBytes(where, 'weights');
    if (w.length !== WEIGHTS.bytes) throw new RangeError(MODEL + ': weights file has ' + w.length + ' bytes, expected ' + WEIGHTS.bytes);
    if (WEIGHTS.f16) expandF16(memory, WEIGHTS.f16, w);
    else new Uint8Array(memory.buffer, WEIGHTS.offset, WEIGHTS.bytes).set(w);
  } else if (WEIGHTS.f16) {
    const section = WebAssembly.Module.customSections(module, F16_SECTION)[0];
    if (!section || section.byteLength !== WEIGHTS.bytes) throw new Error(MODEL + ': the module lacks its float16 weights (section ' + F16_SECTION + ')');
    expandF16(memory, WEIGHTS.f16, new Uint8Array(section));
  }
  let runKernel = instance.exports.run;
  if (pool) {
    const runThread = instance.exports.run_thread;
    runKernel = () => {
      pool.start();
      runThread(0);
    };
  }
  // The relaxed-SIMD code (if built in) runs on the same memory where the engine validates a
  // relaxed instruction; otherwise, or with options.simd === 'exact', the exact code runs.
  let kernels = 'exact';
  const relaxed = WebAssembly.Module.customSections(module, RELAXED_SECTION)[0];
  if (relaxed && options.simd !== 'exact' && WebAssembly.validate(RELAXED_PROBE)) {
    const code = await WebAssembly.instantiate(relaxed, { env: { memory } });
    runKernel = code.instance.exports.run;
    kernels = 'relaxed';
  }
  function run(x) {
    // Any typed array counts as a single input, so a Float64Array is told it must be a
    // Float32Array rather than taken for an object of inputs ("unknown input 0").
    const single = ArrayBuffer.isView(x) || (x && typeof x === 'object' && 'data' in x && !Array.isArray(x) && INPUTS.length === 1 && !(INPUTS[0].name in x));
    if (single) {
      if (INPUTS.length !== 1) throw new TypeError(MODEL + ': the model has ' + INPUTS.length + ' inputs (' + INPUTS.map((s) => s.name).join(', ') + '); pass an object keyed by input name');
      new Float32Array(memory.buffer, INPUTS[0].offset, numel(INPUTS[0].shape)).set(checkInput(INPUTS[0], x));
    } else {
      if (x === null || typeof x !== 'object') throw new TypeError(MODEL + ': run() expects a Float32Array or an object keyed by input name');
      for (const key of Object.keys(x)) {
        if (!INPUTS.some((s) => s.name === key)) throw new RangeError(MODEL + ': unknown input ' + key + '; inputs are ' + INPUTS.map((s) => s.name).join(', '));
      }
      for (const spec of INPUTS) {
        if (!(spec.name in x)) throw new RangeError(MODEL + ': missing input ' + spec.name);
        new Float32Array(memory.buffer, spec.offset, numel(spec.shape)).set(checkInput(spec, x[spec.name]));
      }
    }
    runKernel();
    const read = (spec) => new Float32Array(memory.buffer, spec.offset, numel(spec.shape)).slice();
    if (OUTPUTS.length === 1) return read(OUTPUTS[0]);
    const out = {};
    for (const spec of OUTPUTS) out[spec.name] = read(spec);
    return out;
  }
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    if (pool) pool.stop();
  }
  function guardedRun(x) {
    if (closed) throw new Error(MODEL + ': run() after close()');
    return run(x);
  }
  return { run: guardedRun, inputs, outputs, kernels, threads, close };
}
`;

export function generateLoader(info: LoaderInfo): GeneratedLoader {
  const io = (list: MemoryLayout['inputs']) => list.map((t) => ({ name: t.name, shape: t.shape, offset: t.offset }));
  const inputs = io(info.layout.inputs);
  const outputs = io(info.layout.outputs);
  const f16 = info.layout.f16;
  const weights = { external: info.weightsExternal, offset: info.layout.constantsOffset, bytes: f16 ? f16.bytes : info.layout.constantsBytes, f16: f16?.runs };
  const publicIO = (list: typeof inputs) => JSON.stringify(list.map((t) => ({ name: t.name, shape: t.shape })));
  const js = [
    `// Loader for the netc model ${JSON.stringify(info.name).slice(1, -1)}. Generated file; do not edit.`,
    `const MODEL = ${JSON.stringify(info.name)};`,
    `const INPUTS = ${JSON.stringify(inputs)};`,
    `const OUTPUTS = ${JSON.stringify(outputs)};`,
    `const WEIGHTS = ${JSON.stringify(weights)};`,
    `const WEIGHTS_FILE = ${info.weightsFile === undefined ? 'undefined' : JSON.stringify(info.weightsFile)};`,
    ...(f16 ? [`const F16_SECTION = ${JSON.stringify(F16_SECTION)};`] : []),
    `const RELAXED_SECTION = ${JSON.stringify(RELAXED_SECTION)};`,
    `const THREADS = ${info.layout.threads ?? 1};`,
    `const PAGES = ${info.layout.pages};`,
    `const WEIGHTS_SECTION = ${JSON.stringify(WEIGHTS_SECTION)};`,
    `/** Input names and shapes, in order. */`,
    `export const inputs = ${publicIO(inputs)};`,
    `/** Output names and shapes, in order. */`,
    `export const outputs = ${publicIO(outputs)};`,
    LOADER_BODY.trim(),
    THREADS_BODY.trim(),
    '',
  ].join('\n');
  return { js, dts: generateDts(info.name, inputs, outputs) };
}

function generateDts(name: string, inputs: { name: string; shape: number[] }[], outputs: { name: string; shape: number[] }[]): string {
  const key = (s: string): string => (/^[A-Za-z_$][\w$]*$/.test(s) ? s : JSON.stringify(s));
  const tuple = (shape: number[]): string => `readonly [${shape.join(', ')}]`;
  const record = (list: { name: string; shape: number[] }[], valueType: string): string =>
    list.map((t) => `  /** shape [${t.shape.join(', ')}] */\n  ${key(t.name)}: ${valueType};`).join('\n');
  const specs = (list: { name: string; shape: number[] }[]): string =>
    `readonly [${list.map((t) => `{ readonly name: ${JSON.stringify(t.name)}; readonly shape: ${tuple(t.shape)} }`).join(', ')}]`;
  const single = inputs.length === 1;
  const runArg = single ? 'x: Float32Array | TensorInput | ModelInputs' : 'x: ModelInputs';
  const runResult = outputs.length === 1 ? 'Float32Array' : 'ModelOutputs';
  return [
    `// Types of the loader for the netc model ${JSON.stringify(name).slice(1, -1)}. Generated file; do not edit.`,
    '',
    '/** A float32 tensor with its shape, checked against the model\'s. */',
    'export interface TensorInput {',
    '  data: Float32Array;',
    '  shape?: readonly number[];',
    '}',
    '',
    'export interface ModelInputs {',
    record(inputs, 'Float32Array | TensorInput'),
    '}',
    '',
    'export interface ModelOutputs {',
    record(outputs, 'Float32Array'),
    '}',
    '',
    'export interface LoadOptions {',
    '  /** Weights of a module built with external weights (default: `<model>.weights.bin` next to the module). */',
    '  weights?: Uint8Array | ArrayBuffer | URL | string;',
    "  /** 'exact' runs the plain SIMD128 code even where the relaxed-SIMD code could run (default 'auto'). */",
    "  simd?: 'auto' | 'exact';",
    '  /**',
    '   * Threads to run on (default 1). More than one needs a module built for threads (`netc build --threads N`, at most N)',
    '   * and shared memory (in a browser, a cross-origin isolated page); otherwise it runs on one thread and warns once.',
    '   */',
    '  threads?: number;',
    '}',
    '',
    'export interface Model {',
    `  /** Run the network; inputs are copied in, outputs are fresh arrays. Throws on a wrong type, length or shape. */`,
    `  run(${runArg}): ${runResult};`,
    `  readonly inputs: ${specs(inputs)};`,
    `  readonly outputs: ${specs(outputs)};`,
    "  /** The code that runs: 'relaxed' (built with relaxed SIMD and supported here) or 'exact'. */",
    "  readonly kernels: 'exact' | 'relaxed';",
    '  /** Threads the model runs on (1 unless `threads` was asked for and is possible). */',
    '  readonly threads: number;',
    '  /** Stop the worker threads (none unless threads > 1); `run()` throws afterwards. */',
    '  close(): void;',
    '}',
    '',
    `export declare const inputs: ${specs(inputs)};`,
    `export declare const outputs: ${specs(outputs)};`,
    '',
    '/** Instantiate the module from bytes, a URL, or a path (Node). */',
    'export declare function load(source: Uint8Array | ArrayBuffer | URL | string, options?: LoadOptions): Promise<Model>;',
    '',
  ].join('\n');
}
