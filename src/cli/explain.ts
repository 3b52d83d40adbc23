/** The `--explain` report of `netc build`: what each pass did, the kernels chosen, and the module's memory and size. */
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

export function explainBuild(log: ExplainLog, graph: Graph, built: Pick<BuildResult, 'wasm' | 'layout'> & Partial<Pick<BuildResult, 'kernelNotes'>>, seconds: number): string {
  const lines: string[] = [`${graph.name}: ${graph.nodes.length} nodes after optimisation`, ''];
  for (const pass of passNames()) {
    const said = log.forPass(pass);
    if (said.length === 0) continue;
    lines.push(`${pass}:`);
    for (const s of said) lines.push(`  ${s}`);
  }
  const notes = built.kernelNotes ?? [];
  if (notes.length > 0) {
    lines.push('kernels:');
    for (const n of notes) lines.push(`  ${n.node}: ${n.message}`);
  }
  const l = built.layout;
  const stored = l.f16 ? l.f16.bytes : l.constantsBytes;
  const code = built.wasm.length - (stored <= built.wasm.length ? stored : 0);
  lines.push(
    '',
    'module:',
    `  ${formatBytes(built.wasm.length)} in all; code and tables ${formatBytes(Math.max(0, code))}, weights ${formatBytes(stored)}${l.f16 ? ' (float16, expanded when loaded)' : ''}`,
    `  ${l.kernelFunctions} kernel functions`,
    ...(l.threads ? [`  built for up to ${l.threads} threads: shared memory imported, weights copied in by model.js`] : []),
    'linear memory:',
    `  weights   ${formatBytes(l.constantsBytes)} at ${l.constantsOffset}`,
    ...(l.derivedBytes > 0 ? [`  derived   ${formatBytes(l.derivedBytes)} at ${l.derivedOffset} (Winograd filters, transformed when the module starts)`] : []),
    `  arena     ${formatBytes(l.arenaBytes)} at ${l.arenaOffset} (inputs and outputs ${formatBytes(l.ioBytes)} included)`,
    `  scratch   ${formatBytes(l.scratchBytes)} at ${l.scratchOffset}`,
    `  total     ${formatBytes(l.totalBytes)} (${l.pages} pages of 64 KiB)`,
    `built in ${seconds.toFixed(2)} s`,
  );
  return lines.join('\n') + '\n';
}
