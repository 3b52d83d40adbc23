/**
 * `netc graph FILE`: the network as a picture (SVG laid out by ELK, or DOT / Mermaid text).
 */
import { writeFileSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { fileSystemHost, memoryHost, type SourceHost } from '../../check/host.ts';
import { renderHuman } from '../../diag/render/human.ts';
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { runFrontend } from '../../frontend/frontend.ts';
import { GRAPH_FORMATS, renderNetwork, type GraphFormat } from '../../graph/render.ts';
import { loadConfig, parseBindings } from '../config.ts';
import { EXIT_ERRORS, EXIT_OK, UsageError, type CliIO } from '../io.ts';
import type { Command } from '../io.ts';
import { parseOptions } from '../options.ts';
import { createProgress } from '../progress.ts';
import { requireSourceFile } from '../files.ts';
import { importInMemory, isOnnxFile } from '../onnx-input.ts';

export const command: Command = {
  summary: 'draw a network as SVG, DOT or Mermaid',
  usage: `Usage: netc graph FILE|MODEL.onnx [--format svg|html|dot|mermaid] [--depth N] [--optimized] [--bind N=1,H=224] [--entry NAME] [-o OUT]

Draws the network in FILE: operators and collapsed block instances as boxes, every edge
labelled with its tensor shape. Written to standard output unless -o is given. An ONNX
model is imported in memory first (as netc import would, writing nothing).

Options:
  --format F    svg (default; laid out by ELK), html (one self-contained interactive page:
                pan, zoom, search, click for details, open blocks), dot (Graphviz) or
                mermaid; -o's extension (.svg, .html, .dot/.gv, .mmd/.md) chooses it when
                --format is absent
  --depth N     expand N levels of block instances (default: as deep as stays legible)
  --optimized   run the optimisation passes (random weights) and mark fused convs,
                fused epilogues and concats written in place; needs concrete sizes
  --bind B      dimension sizes, e.g. N=1,H=224 (also from netc.yaml bind:)
  --entry NAME  the network to draw when FILE has several
  -o OUT        write to OUT
`,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseOptions(args, {
      format: { type: 'string' },
      depth: { type: 'string' },
      optimized: { type: 'boolean' },
      bind: { type: 'string', multiple: true },
      entry: { type: 'string' },
      output: { type: 'string', short: 'o' },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one FILE');
    const format = chooseFormat(values.format, values.output);
    let depth: number | undefined;
    if (values.depth !== undefined) {
      if (!/^\d+$/.test(values.depth)) throw new UsageError(`--depth expects a non-negative integer, got '${values.depth}'`);
      depth = Number(values.depth);
    }
    const bindings = new Map(loadConfig(io.cwd).bind);
    for (const b of values.bind ?? []) for (const [k, v] of parseBindings(b)) bindings.set(k, v);
    const file = resolve(io.cwd, positionals[0]!);
    let host: SourceHost = fileSystemHost();
    if (isOnnxFile(file, positionals[0]!)) {
      const imported = await importInMemory(io, file, positionals[0]!);
      if (typeof imported === 'number') return imported;
      // Drawn from its .net form, so blocks and names are those `netc import` would write.
      if (imported.source === undefined) return EXIT_ERRORS;
      host = memoryHost(new Map([[file, imported.source]]));
    } else {
      requireSourceFile(file, positionals[0]!);
    }
    const progress = createProgress(io, 'graph', 0);
    progress.note('checking');
    // Optimised pictures need concrete sizes and weights; the passes only need values to fold.
    const front = runFrontend({
      file,
      host,
      until: values.optimized ? 'optimize' : 'bind',
      entry: values.entry,
      bindings,
      weights: () => ({ seed: 0 }),
      onStage: (stage) => {
        if (stage === 'optimize') progress.note('optimizing');
      },
    });
    const rel = (f: string): string => (f.startsWith('/') ? relative(io.cwd, f) : f);
    const report = (diags: Diagnostic[]): void => {
      progress.done();
      io.stderr(renderHuman(diags, (f) => host.read(f), { color: io.isTTY, relativeTo: rel }));
    };
    if (front.failed === 'check') {
      report(front.diagnostics.filter((d) => d.severity === 'error'));
      return EXIT_ERRORS;
    }
    if (values.optimized && front.failed) {
      report(front.bindDiagnostics);
      return EXIT_ERRORS;
    }
    // Without --optimized: concrete when every size is known, else symbolic.
    const graph = values.optimized ? front.optimized!.graph : front.graph ?? front.symbolic!;
    progress.note('laying out');
    const result = await renderNetwork(graph, { format, depth, optimized: values.optimized });
    progress.done();
    if (values.output) {
      try {
        writeFileSync(resolve(io.cwd, values.output), result.text);
      } catch (e) {
        throw new UsageError(`cannot write ${values.output}: ${(e as Error).message}`);
      }
    } else io.stdout(result.text);
    return EXIT_OK;
  },
};

function chooseFormat(format: string | undefined, output: string | undefined): GraphFormat {
  if (format !== undefined) {
    if (!(GRAPH_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${GRAPH_FORMATS.join(', ')}, got '${format}'`);
    return format as GraphFormat;
  }
  const ext = output ? extname(output).toLowerCase() : '';
  if (ext === '.dot' || ext === '.gv') return 'dot';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.mmd' || ext === '.md' || ext === '.mermaid') return 'mermaid';
  return 'svg';
}
