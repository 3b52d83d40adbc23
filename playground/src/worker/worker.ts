/**
 * The compiler worker: answers the page's requests (protocol.ts) one at a time, so the page
 * never waits on the compiler. Heavy parts (binaryen for builds, the ONNX schema) load on
 * their first request.
 */
import { formatSource } from '../../../src/fmt/format.ts';
import type { Envelope, Reply, Request } from '../protocol.ts';
import { analyze, complete, hover } from './analysis.ts';
import { buildAndRun } from './build.ts';
import { diagItems } from './diagnostics.ts';
import { exportModel, importModel, loadWeights } from './files.ts';
import { graph } from './graph.ts';
import { summary } from './summary.ts';

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
      return graph(r);
    case 'build':
      return buildAndRun(r);
    case 'weights':
      return loadWeights(r.name, r.bytes);
    case 'importOnnx':
      return importModel(r.name, r.bytes);
    case 'exportOnnx':
      return exportModel(r);
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
