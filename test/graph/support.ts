import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkProgram, checkSource } from '../../src/check/check.ts';
import type { Dim } from '../../src/ir/dim/dim.ts';
import { fileSystemHost, memoryHost } from '../../src/check/host.ts';
import { runFrontend, type FrontendResult } from '../../src/frontend/frontend.ts';
import type { Graph } from '../../src/ir/graph.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The checked graph of a network file of the repository (examples/, test/fixtures/). */
export function graphOf(path: string): Graph<Dim> {
  const r = checkProgram(`${ROOT}${path}`, fileSystemHost(), { requireEntry: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !r.graphs[0]) throw new Error(`${path}: ${errors.map((d) => d.message).join('; ')}`);
  return r.graphs[0];
}

export function graphOfSource(text: string): Graph<Dim> {
  const r = checkSource(text, 'main.net', { requireEntry: true });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !r.graphs[0]) throw new Error(errors.map((d) => d.message).join('; '));
  return r.graphs[0];
}

/** A network through the front end, as `netc graph` runs it: seeded weights, all passes. */
export function frontOfSource(text: string, options: { optimized?: boolean; bindings?: ReadonlyMap<string, number> } = {}): FrontendResult {
  const host = memoryHost({ 'main.net': text });
  return runFrontend({ file: 'main.net', host, until: options.optimized ? 'optimize' : 'bind', bindings: options.bindings, weights: () => ({ seed: 0 }) });
}

/** The optimised graph of a network file of the repository. */
export function optimizedGraphOf(path: string): Graph<number> {
  const front = runFrontend({ file: `${ROOT}${path}`, host: fileSystemHost(), weights: () => ({ seed: 0 }) });
  if (!front.optimized) throw new Error(`${path}: ${front.diagnostics.map((d) => d.message).join('; ')}`);
  return front.optimized.graph;
}

export function readRepo(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

/** A small network with nested blocks: Outer holds two Inner instances; a repeat namespace. */
export const NESTED = `
block Inner(c: int) {
  in x: [N, C, H, W]
  out x |> conv(c, k=3, pad=1) |> relu
}
block Outer(c: int) {
  in x: [N, C, H, W]
  a = x |> first: Inner(c)
  b = x |> second: Inner(c)
  out concat(a, b, axis=1)
}
network Net {
  in x: [1, 3, 16, 16]
  out y = x |> stem: conv(8, k=3, pad=1) |> body: Outer(4) |> stages: repeat 2 { Inner(8) } |> global_avgpool
}
`;
