import { summarize, type GraphSummary } from '../../check/summary.ts';
import { EXIT_OK, type CliIO } from '../io.ts';
import { parseOptions } from '../options.ts';
import type { Command } from '../io.ts';
import { loadNetwork } from '../frontend.ts';
import { optimize } from '../../passes/pipeline.ts';
import { randomWeights } from '../../io/randomWeights.ts';
import { graphParams } from '../../ir/params.ts';
import { formatBytes } from '../explain.ts';
import { resolve } from 'node:path';
import type { Graph } from '../../ir/graph.ts';
import { importInMemory, isOnnxFile } from '../onnx-input.ts';

const usage = `Usage: netc summary FILE|MODEL.onnx [options]

Every layer with its hierarchical name, operator, output shape, parameters and MACs,
with totals, the peak activation memory, and the arena size after memory planning.
An ONNX model is imported in memory first (as netc import would, writing nothing).

Options:
  --json           print the summary as JSON
  --entry NAME     the network to summarise when the file has several
  --bind N=1,...   sizes of symbolic input dimensions
  --input FILE     an input tensor (.npy, or .safetensors by input name; repeatable) whose
                   shape binds the dimension symbols it fixes, as --bind would
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
    const { values, positionals } = parseOptions(args, {
      json: { type: 'boolean' },
      entry: { type: 'string' },
      bind: { type: 'string' },
      input: { type: 'string', multiple: true },
    });
    if (positionals.length !== 1) {
      io.stderr(usage);
      return 2;
    }
    const path = resolve(io.cwd, positionals[0]!);
    let graph: Graph;
    let arenaBytes: number;
    // The arena figure needs the optimised graph; weights only matter for their shapes here.
    if (isOnnxFile(path, positionals[0]!)) {
      const imported = await importInMemory(io, path, positionals[0]!);
      if (typeof imported === 'number') return imported;
      graph = imported.graph;
      const optimised = optimize(graph, imported.weights ?? randomWeights(graphParams(graph), 0));
      arenaBytes = optimised.graph.memory?.arenaBytes ?? 0;
    } else {
      const loaded = loadNetwork(io, positionals[0]!, { until: 'optimize', entry: values.entry, bind: values.bind, inputs: values.input, defaultSeed: 0 });
      if (typeof loaded === 'number') return loaded;
      graph = loaded.graph;
      arenaBytes = loaded.front.optimized!.graph.memory?.arenaBytes ?? 0;
    }
    const s = summarize(graph);
    if (values.json) io.stdout(JSON.stringify({ ...s, totals: { ...s.totals, arenaBytes } }, null, 2) + '\n');
    else io.stdout(formatSummaryTable(s, arenaBytes));
    return EXIT_OK;
  },
};
