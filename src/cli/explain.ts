/** The `--explain` report of `netc build`: what each pass did, the kernels chosen, and the module's memory and size. */
import type { Graph } from '../ir/graph.ts';
import type { ExplainLog } from '../passes/pass.ts';
import { passNames } from '../passes/pipeline.ts';
import type { BuildResult } from '../wasm/codegen.ts';

function kb(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KiB`;
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
    `  ${kb(built.wasm.length)} in all; code and tables ${kb(Math.max(0, code))}, weights ${kb(stored)}${l.f16 ? ' (float16, expanded when loaded)' : ''}`,
    `  ${l.kernelFunctions} kernel functions`,
    'linear memory:',
    `  weights   ${kb(l.constantsBytes)} at ${l.constantsOffset}`,
    ...(l.derivedBytes > 0 ? [`  derived   ${kb(l.derivedBytes)} at ${l.derivedOffset} (Winograd filters, transformed when the module starts)`] : []),
    `  arena     ${kb(l.arenaBytes)} at ${l.arenaOffset} (inputs and outputs ${kb(l.ioBytes)} included)`,
    `  scratch   ${kb(l.scratchBytes)} at ${l.scratchOffset}`,
    `  total     ${kb(l.totalBytes)} (${l.pages} pages of 64 KiB)`,
    `built in ${seconds.toFixed(2)} s`,
  );
  return lines.join('\n') + '\n';
}
