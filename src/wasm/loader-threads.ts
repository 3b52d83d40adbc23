/**
 * The part of the generated loader (`model.js`) that runs a module built for threads
 * (threads.ts): the shared memory, the pool of workers (worker_threads in Node, Web Workers
 * in browsers, both from source text, so `model.js` stays one file), and the one-thread
 * fallback with its reason. Plain JavaScript in a string, spliced into the loader body.
 *
 * A run: the caller writes the inputs, bumps the generation word the idle workers sleep on
 * (Atomics.wait), and runs `run_thread(0)` itself; workers run `run_thread(tid)`; the
 * module's barriers order everything inside. Workers are unref'd in Node, so an open model
 * does not keep the process alive; `close()` stops them.
 */
import { GENERATION_ADDR } from './threads.ts';

/** Byte address of the word that tells workers to exit (in the unused first 16 bytes). */
const STOP_ADDR = 12;

const WORKER_SOURCE = String.raw`
const start = async (msg, post) => {
  try {
    const instance = await WebAssembly.instantiate(msg.module, { env: { memory: msg.memory } });
    instance.exports.set_threads(msg.threads, 1);
    const words = new Int32Array(msg.memory.buffer, 0, 4);
    post({ ready: true });
    let seen = Atomics.load(words, GEN);
    for (;;) {
      Atomics.wait(words, GEN, seen);
      if (Atomics.load(words, STOP)) return;
      const g = Atomics.load(words, GEN);
      if (g === seen) continue;
      seen = g;
      instance.exports.run_thread(msg.tid);
    }
  } catch (e) {
    post({ error: String(e && e.message ? e.message : e) });
  }
};
if (typeof self === 'undefined') {
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', (m) => start(m, (x) => parentPort.postMessage(x)));
} else self.onmessage = (e) => start(e.data, (x) => self.postMessage(x));
`
  .replaceAll('GEN', String(GENERATION_ADDR / 4))
  .replaceAll('STOP', String(STOP_ADDR / 4));

export const THREADS_BODY = String.raw`
const WORKER_SOURCE = ${JSON.stringify(WORKER_SOURCE)};
let threadsWarned = false;
function warnOneThread(why) {
  if (threadsWarned) return;
  threadsWarned = true;
  console.warn(MODEL + ': running on one thread: ' + why);
}

// Why threads cannot run here, or undefined when they can.
function threadsUnavailable() {
  if (typeof SharedArrayBuffer === 'undefined' || (!isNode && globalThis.crossOriginIsolated === false)) {
    return 'SharedArrayBuffer is not available (a page needs cross-origin isolation: Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (!isNode && typeof Worker === 'undefined') return 'Web Workers are not available';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return 'shared WebAssembly memory is not available';
  }
  return undefined;
}

// The module with its imported memory declared unshared (limits flag 3 -> 1 in the import
// section), for engines or pages without shared memory.
function unshareMemory(bytes) {
  const b = bytes.slice();
  const leb = (at) => { let v = 0, s = 0, x; do { x = b[at.i++]; v |= (x & 127) << s; s += 7; } while (x & 128); return v >>> 0; };
  const at = { i: 8 };
  while (at.i < b.length) {
    const id = b[at.i++];
    const size = leb(at);
    const end = at.i + size;
    if (id === 2) {
      for (let n = leb(at); n > 0; n--) {
        for (let k = 0; k < 2; k++) { const length = leb(at); at.i += length; }
        const kind = b[at.i++];
        if (kind === 2) { if (b[at.i] === 3) b[at.i] = 1; return b; }
        throw new Error(MODEL + ': unexpected import in a threaded module');
      }
    }
    at.i = end;
  }
  return b;
}

async function startWorkers(module, memory, threads) {
  const workers = [];
  const ready = [];
  for (let tid = 1; tid < threads; tid++) {
    let worker;
    const message = { module, memory, tid, threads };
    if (isNode) {
      const { Worker } = await import('node:worker_threads');
      worker = new Worker(WORKER_SOURCE, { eval: true });
      ready.push(new Promise((resolve, reject) => {
        worker.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve()));
        worker.once('error', reject);
      }));
      worker.postMessage(message);
    } else {
      const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
      worker = new Worker(url);
      URL.revokeObjectURL(url);
      ready.push(new Promise((resolve, reject) => {
        worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve());
        worker.onerror = (e) => reject(new Error(e.message || 'worker failed'));
      }));
      worker.postMessage(message);
    }
    workers.push(worker);
  }
  const words = new Int32Array(memory.buffer, 0, 4);
  const stop = () => {
    Atomics.store(words, ${STOP_ADDR / 4}, 1);
    Atomics.add(words, ${GENERATION_ADDR / 4}, 1);
    Atomics.notify(words, ${GENERATION_ADDR / 4});
    for (const w of workers) w.terminate();
  };
  try {
    await Promise.all(ready);
  } catch (e) {
    stop();
    throw e;
  }
  // Idle workers must not keep the process alive (they stay referenced until ready, or
  // Node would exit while load() waits for them).
  if (isNode) for (const w of workers) w.unref();
  return {
    start() {
      Atomics.add(words, ${GENERATION_ADDR / 4}, 1);
      Atomics.notify(words, ${GENERATION_ADDR / 4});
    },
    stop,
  };
}

// Instantiate a module built for threads: memory, weights, and workers when asked and possible.
async function instantiateThreaded(bytes, options) {
  const asked = options.threads === undefined ? 1 : options.threads;
  let threads = Math.min(asked, THREADS);
  const why = threads > 1 ? threadsUnavailable() : undefined;
  if (why) {
    warnOneThread(why);
    threads = 1;
  }
  const shared = threads > 1;
  const module = await WebAssembly.compile(shared ? bytes : unshareMemory(bytes));
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES, shared });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  if (!WEIGHTS.external) {
    const section = WebAssembly.Module.customSections(module, WEIGHTS_SECTION)[0];
    if (!section || section.byteLength !== WEIGHTS.bytes) throw new Error(MODEL + ': the module lacks its weights (section ' + WEIGHTS_SECTION + ')');
    new Uint8Array(memory.buffer, WEIGHTS.offset, WEIGHTS.bytes).set(new Uint8Array(section));
  }
  let pool;
  if (shared) {
    instance.exports.set_threads(threads, isNode ? 1 : 0);
    pool = await startWorkers(module, memory, threads);
  }
  return { module, instance, memory, threads, pool };
}
`;
