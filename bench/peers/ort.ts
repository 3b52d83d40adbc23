/**
 * onnxruntime-web, wasm execution provider, one thread (SIMD build) unless
 * `useOrtThreads` asked for more before the first session, loaded from node_modules. A timed run is `session.run()`: it includes copying the input in and the
 * output out of the runtime's memory.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Contender } from '../contender.ts';

type Ort = typeof import('onnxruntime-web');
let ortPromise: Promise<Ort> | undefined;
let ortThreads = 1;

/** Threads for every session of this process (onnxruntime-web reads the setting once, when it starts). */
export function useOrtThreads(n: number): void {
  if (ortPromise) throw new Error('onnxruntime-web already started: set its threads before the first session');
  ortThreads = n;
}

export async function loadOrt(): Promise<Ort> {
  ortPromise ??= (async () => {
    const ort = await import('onnxruntime-web');
    const dist = dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
    ort.env.wasm.numThreads = ortThreads;
    ort.env.wasm.wasmPaths = pathToFileURL(dist + '/').href;
    ort.env.logLevel = 'error';
    return ort;
  })();
  return ortPromise;
}

/** The options of every timed session: the wasm backend with all graph optimisations. */
export const SESSION_OPTIONS = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' } as const;

/** A session's feeds: the inputs, in order, under the session's input names. */
export function ortFeeds(ort: Ort, names: readonly string[], inputs: { shape: number[]; data: Float32Array }[]): Record<string, InstanceType<Ort['Tensor']>> {
  return Object.fromEntries(names.map((name, i) => [name, new ort.Tensor('float32', inputs[i]!.data, inputs[i]!.shape)]));
}

export async function ortContender(model: Uint8Array, inputs: { name: string; shape: number[]; data: Float32Array }[]): Promise<Contender> {
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(model, SESSION_OPTIONS);
  const feeds = ortFeeds(ort, session.inputNames, inputs);
  let last: Float32Array = new Float32Array(0);
  return {
    name: ortThreads > 1 ? `onnxruntime-web ${ortThreads}T` : 'onnxruntime-web',
    async run() {
      const out = await session.run(feeds);
      last = out[session.outputNames[0]!]!.data as Float32Array;
    },
    output: () => last,
    dispose: () => session.release(),
  };
}
