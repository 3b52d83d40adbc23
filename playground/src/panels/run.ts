/**
 * The run panel: build the module in the worker (random weights from the seed, or the dropped
 * or imported weights), run it there on a seeded input, and show the time per run, output
 * statistics, top-5 for a classifier, the picture of an image output, and the three files
 * to download. The numbers are those a Node build gives for the same seed (stats.ts).
 */
import type { CompilerClient } from '../client.ts';
import type { Responses, SourceRequest } from '../protocol.ts';
import { statsText } from '../stats.ts';

const SEED = 1;
const RUNS = 5;

function download(name: string, data: BlobPart, type: string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([data], { type }));
  a.download = name;
  a.textContent = name;
  return a;
}

export function renderRun(out: HTMLElement, r: Responses['build']): void {
  out.replaceChildren();
  const run = r.run;
  if (!run || !r.wasm || !r.loader || !r.dts) {
    const pre = document.createElement('pre');
    pre.className = 'diag-text';
    pre.textContent = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.text).join('\n') || 'build failed';
    out.append(pre);
    return;
  }
  const p = (text: string, testid?: string): HTMLElement => {
    const e = document.createElement('div');
    e.textContent = text;
    if (testid) e.dataset['testid'] = testid;
    out.append(e);
    return e;
  };
  const median = [...run.runMs].sort((a, b) => a - b)[Math.floor(run.runMs.length / 2)] ?? 0;
  p(`built in ${run.buildMs.toFixed(0)} ms (${(run.wasmBytes / 1024).toFixed(0)} KiB) · ${median.toFixed(2)} ms per run (median of ${run.runMs.length})`, 'run-time');
  p(`${run.outputName}: [${run.outputShape.join(', ')}]`);
  p(statsText(run.stats), 'output-stats');
  p(`first values: ${run.first.map((v) => v.toPrecision(6)).join(' ')}`, 'output-first');
  if (run.top5) p(`top-5: ${run.top5.map((t) => `#${t.index} ${t.value.toPrecision(4)}`).join(', ')}`, 'top5');
  if (run.image) {
    const c = document.createElement('canvas');
    c.width = run.image.width;
    c.height = run.image.height;
    c.className = 'output-image';
    c.dataset['testid'] = 'output-image';
    c.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(run.image.rgba), run.image.width, run.image.height), 0, 0);
    out.append(c);
  }
  const links = document.createElement('div');
  links.className = 'downloads';
  links.append(download('model.wasm', new Uint8Array(r.wasm), 'application/wasm'), download('model.js', r.loader, 'text/javascript'), download('model.d.ts', r.dts, 'text/plain'));
  out.append(links);
}

export async function buildAndRun(client: CompilerClient, req: SourceRequest, out: HTMLElement): Promise<void> {
  out.replaceChildren('building…');
  try {
    renderRun(out, await client.ask({ kind: 'build', ...req, seed: SEED, runs: RUNS }));
  } catch (e) {
    out.replaceChildren(String(e));
  }
  out.dataset['done'] = String(Number(out.dataset['done'] ?? 0) + 1);
}

export const RUN_SEED = SEED;
