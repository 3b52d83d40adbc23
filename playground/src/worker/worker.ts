/**
 * The compiler worker: answers the page's requests (protocol.ts) one at a time, so the page
 * never waits on the compiler. Heavy parts (binaryen for builds, the ONNX schema) load on
 * their first request.
 */
import { formatSource } from '../../../src/fmt/format.ts';
import type { Envelope, Reply, Request } from '../protocol.ts';
import { analyze, complete, hover } from './analysis.ts';
import { diagItems } from './diagnostics.ts';
import { summary } from './summary.ts';

// Loaded on first use: the editor's worker never needs the layout engine (1.5 MB), binaryen or
// the ONNX schema, and its first check comes sooner without them.
const graphModule = (): Promise<typeof import('./graph.ts')> => import('./graph.ts');
const buildModule = (): Promise<typeof import('./build.ts')> => import('./build.ts');
const filesModule = (): Promise<typeof import('./files.ts')> => import('./files.ts');

async function handle(r: Request): Promise<unknown> {
  switch (r.kind) {
    case 'analyze':
      return analyze(r.file, r.text);
    case 'summary':
      return summary(r);
    case 'hover':
      return hover(r.file, r.text, r.offset);
    case 'complete':
      return complete(r.file, r.text, r.offset);
    case 'format': {
      const f = formatSource(r.text, r.file);
      return { text: f.diagnostics.some((d) => d.severity === 'error') ? undefined : f.text, diagnostics: diagItems(f.diagnostics, r.file, () => r.text) };
    }
    case 'graph':
      return (await graphModule()).graph(r);
    case 'build':
      return (await buildModule()).buildAndRun(r);
    case 'weights':
      return (await filesModule()).loadWeights(r.name, r.bytes);
    case 'importOnnx':
      return (await filesModule()).importModel(r.name, r.bytes);
    case 'exportOnnx':
      return (await filesModule()).exportModel(r);
  }
}

// Requests run in order: a build does not interleave with the checks typed after it.
let queue: Promise<void> = Promise.resolve();

// elkjs, seeing a worker scope, installs itself as `self.onmessage` (to serve as ELK's own
// worker) when its code runs, which it does again on each layout: that would take the page's
// messages from this worker. Assignments to onmessage are ignored; this worker listens with
// addEventListener.
Object.defineProperty(self, 'onmessage', { configurable: true, get: () => null, set: () => {} });

self.addEventListener('message', (ev: MessageEvent<Envelope>): void => {
  const { id, request } = ev.data;
  queue = queue.then(async () => {
    let reply: Reply;
    try {
      reply = { id, result: await handle(request) };
    } catch (e) {
      reply = { id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
    (self as unknown as Worker).postMessage(reply);
  });
});
