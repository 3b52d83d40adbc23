import { summarize, type GraphSummary } from '../../check/summary.ts';
import { EXIT_OK, type CliIO } from '../io.ts';
import { parseOptions } from '../options.ts';
import type { Command } from '../io.ts';
import { loadNetwork } from '../frontend.ts';
import { optimize } from '../../passes/pipeline.ts';
import { randomWeights } from '../../io/randomWeights.ts';
import { allParams } from '../frontend.ts';
import { formatBytes } from '../explain.ts';
import { resolve } from 'node:path';
import type { Graph, WeightStore } from '../../ir/graph.ts';
import { importInMemory, isOnnxFile } from '../onnx-input.ts';

const usage = `Usage: netc summary FILE|MODEL.onnx [options]

Every layer with its hierarchical name, operator, output shape, parameters and MACs,
with totals, the peak activation memory, and the arena size after memory planning.
An ONNX model is imported in memory first (as netc import would, writing nothing).

Options:
  --json           print the summary as JSON
  --entry NAME     the network to summarise when the file has several
  --bind N=1,...   sizes of symbolic input dimensions
`;

function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatSummaryTable(s: GraphSummary, arenaBytes: number): string {
  const rows = s.layers.map((l) => [l.name, l.op, `[${l.shape.join(', ')}]`, l.params ? fmtInt(l.params) : '', l.macs ? fmtInt(l.macs) : '']);
  const head = ['layer', 'op', 'output', 'params', 'MACs'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `${s.entry}: ${s.inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join(', ')} -> ${s.outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join(', ')}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `parameters      ${fmtInt(s.totals.params)}`,
    `MACs            ${fmtInt(s.totals.macs)}`,
    `peak activations ${formatBytes(s.totals.peakActivationBytes)} (unoptimised graph, nodes in order)`,
    `planned arena   ${formatBytes(arenaBytes)} (after optimisation and memory planning)`,
  ];
  return out.join('\n') + '\n';
}

export const command: Command = {
  summary: 'per-layer shapes, parameters and MACs, with totals and memory',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, { json: { type: 'boolean' }, entry: { type: 'string' }, bind: { type: 'string' } });
    if (positionals.length !== 1) {
      io.stderr(usage);
      return 2;
    }
    const path = resolve(io.cwd, positionals[0]!);
    let graph: Graph;
    let weights: WeightStore | undefined;
    if (isOnnxFile(path, positionals[0]!)) {
      const imported = await importInMemory(io, path, positionals[0]!);
      if (typeof imported === 'number') return imported;
      ({ graph, weights } = imported);
    } else {
      const loaded = loadNetwork(io, positionals[0]!, { entry: values.entry, bind: values.bind });
      if (typeof loaded === 'number') return loaded;
      graph = loaded.graph;
    }
    const s = summarize(graph);
    // The arena figure needs the optimised graph; weights only matter for their shapes here.
    const optimised = optimize(graph, weights ?? randomWeights(allParams(graph), 0));
    const arenaBytes = optimised.graph.memory?.arenaBytes ?? 0;
    if (values.json) io.stdout(JSON.stringify({ ...s, totals: { ...s.totals, arenaBytes } }, null, 2) + '\n');
    else io.stdout(formatSummaryTable(s, arenaBytes));
    return EXIT_OK;
  },
};
