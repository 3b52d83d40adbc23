/** The `--explain` report of `netc build`: what each pass did, and the module's memory and size. */
import type { Graph } from '../ir/graph.ts';
import type { ExplainLog } from '../passes/pass.ts';
import { passNames } from '../passes/pipeline.ts';
import type { BuildResult } from '../wasm/codegen.ts';

/** A byte count in binary units, the ones WebAssembly pages (64 KiB) are counted in. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function explainBuild(log: ExplainLog, graph: Graph, built: Pick<BuildResult, 'wasm' | 'layout'>, seconds: number): string {
  const lines: string[] = [`${graph.name}: ${graph.nodes.length} nodes after optimisation`, ''];
  for (const pass of passNames()) {
    const said = log.forPass(pass);
    if (said.length === 0) continue;
    lines.push(`${pass}:`);
    for (const s of said) lines.push(`  ${s}`);
  }
  const l = built.layout;
  const code = built.wasm.length - (l.constantsBytes <= built.wasm.length ? l.constantsBytes : 0);
  lines.push(
    '',
    'module:',
    `  ${formatBytes(built.wasm.length)} in all; code and tables ${formatBytes(Math.max(0, code))}, weights ${formatBytes(l.constantsBytes)}`,
    `  ${l.kernelFunctions} kernel functions`,
    'linear memory:',
    `  weights   ${formatBytes(l.constantsBytes)} at ${l.constantsOffset}`,
    `  arena     ${formatBytes(l.arenaBytes)} at ${l.arenaOffset} (inputs and outputs ${formatBytes(l.ioBytes)} included)`,
    `  scratch   ${formatBytes(l.scratchBytes)} at ${l.scratchOffset}`,
    `  total     ${formatBytes(l.totalBytes)} (${l.pages} pages of 64 KiB)`,
    `built in ${seconds.toFixed(2)} s`,
  );
  return lines.join('\n') + '\n';
}
