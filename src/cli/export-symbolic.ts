/**
 * `netc export` of a network whose input sizes stay symbolic (`in x: f32[N, 3, 224, 224]`
 * without `--bind N=...`): the sizes are written as `dim_param` (`N`, or the expression a
 * computed size stands for, such as `H/2`). The exporter writes numbers into some operators
 * (a reshape's target shape), so the network is exported at two trial sizes, and the two
 * models must agree but for the sizes the `dim_param`s stand for; otherwise a symbol decides
 * something in the file and has to be bound.
 */
import { resolve } from 'node:path';
import { checkProgram } from '../check/check.ts';
import { concretize } from '../check/concretize.ts';
import { diag } from '../diag/make.ts';
import { syntheticSpan } from '../diag/span.ts';
import { constValue, dimSymbols, dimToString } from '../ir/dim/dim.ts';
import type { Graph, WeightStore } from '../ir/graph.ts';
import type { ExportOptions } from '../io/onnx/export.ts';
import { parseBindings } from './config.ts';
import { cachedFileHost } from './host.ts';
import type { Diagnostic } from '../diag/diagnostic.ts';

/** Trial sizes for the free symbols, smallest first; the first two that bind are compared. */
const TRIAL_SIZES = [1, 2, 3, 4, 8, 16, 32, 64, 128, 224, 256, 512];

/** The parts of a decoded ONNX model compared here. */
interface DecodedModel {
  graph?: {
    node?: { name?: string | null; opType?: string | null; input?: string[] | null }[] | null;
    initializer?: { name?: string | null }[] | null;
  } | null;
}

export interface SymbolicNetwork {
  /** The network at the first and second trial size. */
  graphs: [Graph, Graph];
  /** The sizes the free symbols have in `graphs[0]`. */
  firstSizes: Map<string, number>;
  symbols: string[];
  /** The `.net` file, for messages. */
  file: string;
  dimParams: NonNullable<ExportOptions['dimParams']>;
}

/**
 * The network at two trial sizes of its free input symbols, when it checks and has some;
 * otherwise undefined, and the ordinary path (which reports any problem) is taken.
 */
export function symbolicNetwork(cwd: string, fileArg: string, options: { entry?: string; bind?: string }): SymbolicNetwork | undefined {
  const bindings = options.bind ? parseBindings(options.bind) : new Map<string, number>();
  const result = checkProgram(resolve(cwd, fileArg), cachedFileHost(), { bindings, entry: options.entry, requireEntry: true, hovers: false });
  const g = result.graphs[0];
  if (!g || result.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const symbols = [...new Set(g.inputs.flatMap((io) => g.values[io.value]!.shape.flatMap(dimSymbols)))].filter((s) => !bindings.has(s));
  if (symbols.length === 0) return undefined;
  const graphs: Graph[] = [];
  let firstSizes = new Map<string, number>();
  for (const size of TRIAL_SIZES) {
    const c = concretize(g, new Map([...bindings, ...symbols.map((s) => [s, size] as const)]));
    if (c.graph && graphs.length === 0) firstSizes = new Map(symbols.map((s) => [s, size]));
    if (c.graph) graphs.push(c.graph);
    if (graphs.length === 2) break;
  }
  if (graphs.length < 2) return undefined;
  const dimParams = new Map<number, (string | undefined)[]>();
  for (const v of g.values) {
    const params = v.shape.map((d) => (constValue(d) === undefined ? dimToString(d) : undefined));
    if (params.some((p) => p !== undefined)) dimParams.set(v.id, params);
  }
  return { graphs: [graphs[0]!, graphs[1]!], firstSizes, symbols, dimParams, file: fileArg };
}

/**
 * Export at both trial sizes with the same weights; a difference (a node's attributes or
 * constants, a weight's shape) means a symbol decides what is written: NET5020 at that node.
 */
export function exportSymbolic(
  net: SymbolicNetwork,
  weights: WeightStore,
  exportOnnx: (g: Graph, w: WeightStore, o: ExportOptions) => Uint8Array,
  decode: (bytes: Uint8Array) => DecodedModel,
  opset: number | undefined,
): { bytes: Uint8Array } | { diagnostic: Diagnostic } {
  const [a, b] = net.graphs;
  const bytesA = exportOnnx(a, weights, { opset, dimParams: net.dimParams });
  const shapesOf = (g: Graph) => JSON.stringify(g.nodes.map((n) => Object.values(n.params).map((p) => p.shape)));
  let same = shapesOf(a) === shapesOf(b);
  if (same) {
    const bytesB = exportOnnx(b, weights, { opset, dimParams: net.dimParams });
    same = bytesA.length === bytesB.length && bytesA.every((x, i) => x === bytesB[i]);
    if (same) return { bytes: bytesA };
    const [ga, gb] = [decode(bytesA).graph, decode(bytesB).graph];
    const na = ga?.node ?? [];
    const differs = <T>(x: T, i: number, other: readonly T[]) => JSON.stringify(x) !== JSON.stringify(other[i]);
    // A node whose attributes differ, or the reader of a constant that differs (a reshape's shape).
    const constant = (ga?.initializer ?? []).find((t, i) => differs(t, i, gb?.initializer ?? []));
    const at = na.find((n, i) => differs(n, i, gb?.node ?? [])) ?? na.find((n) => constant?.name && n.input?.includes(constant.name)) ?? na[0];
    return { diagnostic: depends(net, at?.name ?? a.name, at?.opType ?? 'graph') };
  }
  const at = a.nodes.find((n, i) => JSON.stringify(Object.values(n.params).map((p) => p.shape)) !== JSON.stringify(Object.values(b.nodes[i]!.params).map((p) => p.shape)))!;
  return { diagnostic: depends(net, at.name, at.op) };
}

function depends(net: SymbolicNetwork, node: string, op: string): Diagnostic {
  const list = net.symbols.join(', ');
  return diag('NET5020', syntheticSpan(net.file), {
    node, op,
    detail: `what it writes depends on the size of ${list}, which stays symbolic; give ${net.symbols.length > 1 ? 'them' : 'it'} with --bind ${net.symbols.map((s) => `${s}=...`).join(',')}`,
  });
}
