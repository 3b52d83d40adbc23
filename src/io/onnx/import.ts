/**
 * ONNX model -> netc IR (`Graph<number>`) with a WeightStore, plus idiomatic `.net` source.
 * The whole model is checked for unsupported operators first, so one diagnostic lists every
 * one of them; any other problem stops the import with one diagnostic. Either way nothing
 * half-built is returned.
 */
import type { Diagnostic } from '../../diag/diagnostic.ts';
import { diag } from '../../diag/make.ts';
import type { Graph, Node, ParamRef, WeightStore } from '../../ir/graph.ts';
import { syntheticSpan } from '../../diag/span.ts';
import { parseSource } from '../../syntax/parse.ts';
import { printSource } from '../../syntax/printer.ts';
import { ImportFailure, ImportState, NodeContext, type PendingNode } from './importContext.ts';
import { handlers } from './importOps.ts';
import { foldActivationPatterns } from './patterns.ts';
import { autoNames, instanceFromInitializer, isHierarchicalName, scopeOfNodeName } from './naming.ts';
import { readOnnx, type OnnxModel, type OnnxNode } from './read.ts';
import { composeRenames, flattenNames, spellableNames, type WeightRename } from './spelling.ts';
import { graphToSource } from './toSource.ts';
import { inputDims, TRIAL_SIZES, trialShapes } from './importSizes.ts';

export interface ImportOnnxOptions {
  /** Name of the model file, for messages. */
  file: string;
  /** Bytes of an external data file, by its location relative to the model's folder. */
  readExternal?: (location: string) => Uint8Array | undefined;
  /** Sizes for dimension symbols of the inputs (`N` for a `dim_param` batch axis). */
  bindings?: ReadonlyMap<string, number>;
}

export interface ImportOnnxResult {
  graph?: Graph<number>;
  weights?: WeightStore;
  /** The graph as `.net` source; absent when the graph uses something the language cannot say. */
  source?: string;
  /**
   * Weights whose names in `graph`, `weights` and `source` differ from the model's, as rules
   * from the model's name; empty when every name is kept.
   */
  weightMap?: WeightRename[];
  /**
   * Dimension symbols of the inputs (bound or not). A free one stays a symbol in `source`;
   * `graph` holds it at the smallest size that imports.
   */
  symbols?: string[];
  diagnostics: Diagnostic[];
}

/** Every operator type the model uses that has no handler, with its nodes: one diagnostic. */
function unsupportedOps(model: OnnxModel, file: string): Diagnostic | undefined {
  const byType = new Map<string, string[]>();
  for (const n of model.nodes) {
    const key = n.domain === '' ? n.opType : `${n.domain}::${n.opType}`;
    if (n.domain === '' && handlers[n.opType]) continue;
    byType.set(key, [...(byType.get(key) ?? []), n.name]);
  }
  if (byType.size === 0) return undefined;
  const entries = [...byType].map(([op, names]) => {
    const shown = names.slice(0, 4).join(', ') + (names.length > 4 ? `, ... ${names.length - 4} more` : '');
    return `${op} (${names.length} node${names.length > 1 ? 's' : ''}: ${shown})`;
  });
  return diag('NET5010', syntheticSpan(file), { file, count: byType.size, list: entries.join('; ') }, {
    help: `netc imports ${Object.keys(handlers).join(', ')}`,
  });
}

/** Instance names: PyTorch state_dict prefixes where the initializers carry them, else module scopes. */
function chooseNames(pending: { onnx: OnnxNode; node: PendingNode }[]): string[] {
  const scopes = pending.map((p) => scopeOfNodeName(p.onnx.name));
  const perScope = new Map<string, number>();
  for (const s of scopes) perScope.set(s, (perScope.get(s) ?? 0) + 1);
  const prefixes = new Set<string>();
  for (const s of scopes) {
    const parts = s.split('.');
    for (let i = 1; i < parts.length; i++) prefixes.add(parts.slice(0, i).join('.'));
  }
  const used = new Set<string>();
  const counters = new Map<string, number>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 1; used.has(name) || prefixes.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  };
  return pending.map(({ node }, i) => {
    const scope = scopes[i]!;
    const weighted = Object.keys(node.params).length > 0;
    if (weighted) {
      // All weights of the node must agree on one PyTorch-style prefix.
      const fromInit = Object.entries(node.params).map(([role, p]) => (p.source ? instanceFromInitializer(p.source, role) : undefined));
      const first = fromInit[0];
      if (first && fromInit.every((n) => n === first) && !used.has(first)) {
        used.add(first);
        return first;
      }
      if (scope && isHierarchicalName(scope) && perScope.get(scope) === 1 && !used.has(scope)) {
        used.add(scope);
        return scope;
      }
      const short = autoNames[node.op] ?? node.op;
      const k = (counters.get(short) ?? 0) + 1;
      counters.set(short, k);
      return unique(scope && isHierarchicalName(scope) ? `${scope}.${short}${k}` : `${short}${k}`);
    }
    if (scope && isHierarchicalName(scope) && perScope.get(scope) === 1 && !prefixes.has(scope) && !used.has(scope)) {
      used.add(scope);
      return scope;
    }
    return unique(scope && isHierarchicalName(scope) ? `${scope}.${node.op}` : node.op);
  });
}

/** The graph with the inputs at `shapes` (symbolic sizes already replaced by numbers). */
function buildGraph(model: OnnxModel, file: string, shapes: number[][]): { graph: Graph<number>; weights: WeightStore } {
  const state = new ImportState(file, model.opset);
  for (const [name, c] of model.initializers) state.env.set(name, { kind: 'const', c, name });
  const graphInputs = model.inputs.map((v, i) => {
    if (!v.shape || shapes[i]!.some((d) => d < 1)) {
      state.fail('NET5011', {
        node: v.name, op: 'graph input',
        detail: v.shape ? `its shape [${v.shape.map((d) => d ?? '?').join(', ')}] has an empty dimension` : 'its shape is not given; netc needs the rank and sizes of every input',
      });
    }
    const id = state.values.length;
    state.values.push({ id, name: v.name, shape: shapes[i]! });
    state.env.set(v.name, { kind: 'value', id });
    return { name: v.name, value: id };
  });
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of model.nodes) {
    for (const i of n.inputs) {
      if (i === '') continue;
      state.uses.set(i, (state.uses.get(i) ?? 0) + 1);
      consumers.set(i, [...(consumers.get(i) ?? []), n]);
    }
  }
  for (const o of model.outputs) state.uses.set(o.name, (state.uses.get(o.name) ?? 0) + 1);

  const pending: { onnx: OnnxNode; node: PendingNode; output: string }[] = [];
  for (const n of model.nodes) {
    if (state.absorbed.has(n)) {
      // An Add folded into the MatMul before it (as the linear layer's bias): same value.
      const computed = n.inputs.find((i) => state.env.get(i)?.kind === 'value')!;
      state.env.set(n.outputs[0]!, state.env.get(computed)!);
      continue;
    }
    const ctx = new NodeContext(state, n, (v) => consumers.get(v) ?? []);
    const result = handlers[n.opType]!(ctx);
    if (result === 'done') continue;
    // One IR node per output (Split gives several).
    (Array.isArray(result) ? result : [result]).forEach((node, k) => {
      const output = n.outputs[k]!;
      pending.push({ onnx: n, node, output });
      // Bind the output now so later nodes can read it; ids follow the order of `pending`.
      const id = state.values.length;
      state.values.push({ id, name: output, shape: node.outShape, producer: pending.length - 1 });
      state.env.set(output, { kind: 'value', id });
      // A value read only by nodes absorbed into this one (Gather + Unsqueeze, a channel
      // shuffle's Reshape) has another shape in the file than the fused node's output.
      const readers = consumers.get(output) ?? [];
      if (readers.length === 0 || !readers.every((r) => state.absorbed.has(r))) checkRecordedShape(state, model, n, output, node.outShape);
    });
  }
  const names = chooseNames(pending);
  const weights: WeightStore = new Map();
  pending.forEach((p, k) => {
    const id = (state.env.get(p.output) as { id: number }).id;
    state.values[id]!.name = `${names[k]}.out`;
    const params: Record<string, ParamRef<number>> = {};
    for (const [role, w] of Object.entries(p.node.params)) {
      const name = `${names[k]}.${role}`;
      params[role] = { name, shape: w.shape, trainable: w.trainable };
      weights.set(name, { shape: [...w.shape], data: w.data });
    }
    // op, attrs and inputs of the pending node; its shape and weights are placed above.
    const { outShape: _outShape, params: _weights, ...call } = p.node;
    const node: Node<number> = { ...call, id: k, name: names[k]!, outputs: [id], params, span: state.span, instances: [] };
    state.nodes.push(node);
  });
  const outputs = model.outputs.map((o) => {
    const v = state.env.get(o.name)!;
    if (v.kind !== 'value') return state.fail('NET5011', { node: o.name, op: 'graph output', detail: 'it is a constant; netc networks output computed tensors' });
    return { name: o.name, value: v.id };
  });
  for (const io of outputs) {
    const v = state.values[io.value]!;
    if (v.producer !== undefined) v.name = io.name;
  }
  return { graph: { name: graphName(model, file), values: state.values, nodes: state.nodes, inputs: graphInputs, outputs }, weights };
}

/** A shape the file records for a value must be the one computed (catches mapping mistakes and bad files). */
function checkRecordedShape(state: ImportState, model: OnnxModel, n: OnnxNode, value: string, shape: number[]): void {
  const info = model.valueInfo.get(value) ?? model.outputs.find((o) => o.name === value);
  if (!info?.shape) return;
  const differs = info.shape.length !== shape.length || info.shape.some((d, i) => d !== undefined && d !== shape[i]);
  if (differs) {
    state.fail('NET5012', {
      node: n.name, op: n.opType,
      detail: `the file records ${value} as [${info.shape.map((d) => d ?? '?').join(', ')}], the operator computes [${shape.join(', ')}]`,
    });
  }
}

/** A network name: the graph's name when it is an identifier in PascalCase, else the file name. */
function graphName(model: OnnxModel, file: string): string {
  const base = (model.graphName && !/^(main_graph|torch[-_]jit.*|graph)$/i.test(model.graphName)
    ? model.graphName
    : file.replace(/^.*[\\/]/, '').replace(/\.onnx$/i, '')) || 'Imported';
  const words = base.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Net${name}`;
}

/**
 * Import an ONNX model. On success `graph` and `weights` are set, and `source` holds the
 * equivalent `.net` text unless the graph uses something the language cannot express (a
 * warning then says what). On failure only `diagnostics` is set.
 */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions): ImportOnnxResult {
  const { model: read, diagnostics } = readOnnx(bytes, options);
  if (!read) return { diagnostics };
  const model = foldActivationPatterns(read);
  const unsupported = unsupportedOps(model, options.file);
  if (unsupported) return { diagnostics: [unsupported] };
  const sizes = inputDims(model.inputs, options.bindings ?? new Map(), [...model.inputs, ...model.outputs].map((v) => v.name));
  // Free symbols: the first two trial sizes that import must give the same source.
  const trials = sizes.free.length === 0 ? [0] : TRIAL_SIZES;
  const results: ImportOnnxResult[] = [];
  let failure: Diagnostic | undefined;
  for (const size of trials) {
    let built: { graph: Graph<number>; weights: WeightStore };
    try {
      built = buildGraph(model, options.file, trialShapes(sizes, size));
    } catch (e) {
      if (!(e instanceof ImportFailure)) throw e;
      failure ??= e.diagnostic;
      continue;
    }
    const result = withSource(built.graph, built.weights, options.file, sizes.dims.map((d) => d.map(String)));
    result.symbols = sizes.symbols;
    if (result.source !== undefined) result.source = layOut(`${header(model, options.file)}${result.source}`, options.file);
    results.push(result);
    if (sizes.free.length === 0 || results.length === 2) break;
  }
  const [first, second] = results;
  if (!first) return { diagnostics: [failure!] };
  if (second && second.source !== first.source) {
    const input = model.inputs[sizes.dims.findIndex((d) => d.some((x) => typeof x === 'string' && sizes.free.includes(x)))]!;
    const detail = `the layers depend on the size of ${sizes.free.join(', ')}, which the file leaves open; give it with --bind ${sizes.free.map((s) => `${s}=...`).join(',')}`;
    return { diagnostics: [diag('NET5011', syntheticSpan(options.file), { file: options.file, node: input.name, op: 'graph input', detail })] };
  }
  return first;
}

/** Where the source came from: the model's file name (not its folder), producer and opset. */
function header(model: OnnxModel, file: string): string {
  const from = [model.producer, `opset ${model.opset}`].filter((x) => x).join(', ');
  // One line whatever the file holds: a line break in a producer name would end the comment.
  const text = `Imported by netc from ${file.replace(/^.*[\\/]/, '')} (${from}).`.replace(/[\x00-\x1f\x7f\u2028\u2029]+/g, ' ');
  return `// ${text}\n\n`;
}

/** The source in the canonical layout of `netc fmt`, so that `netc fmt --check` accepts it. */
function layOut(text: string, file: string): string {
  const parsed = parseSource(text, file.replace(/\.onnx$/i, '.net'));
  return parsed.diagnostics.some((d) => d.severity === 'error') ? text : printSource(parsed.ast);
}

/**
 * The graph written as `.net` source, with the names the source gives (PyTorch's, except
 * segments no label can spell); if the hierarchy cannot be written as blocks, every layer
 * is written at the top level. Weights whose names change come with rename rules.
 */
function withSource(graph: Graph<number>, weights: WeightStore, file: string, inputDimsText: string[][]): ImportOnnxResult {
  const spelled = spellableNames(graph, weights);
  let named = spelled;
  let renamed = spelled.renamed;
  const reasons: string[] = [];
  if (renamed.length > 0) reasons.push(`${renamed.length} weight names hold a segment no label can spell (${renamed[0]!.from})`);
  let src = graphToSource(named.graph, inputDimsText);
  if (src.source === undefined) {
    const flat = flattenNames(named.graph, named.weights);
    const flatSrc = graphToSource(flat.graph, inputDimsText);
    if (flatSrc.source !== undefined) {
      reasons.push(`${src.problem}, so every layer is written at the top level`);
      renamed = composeRenames(renamed, flat.renamed);
      named = flat;
      src = flatSrc;
    }
  }
  const out: ImportOnnxResult = { graph: named.graph, weights: named.weights, diagnostics: [], weightMap: renamed };
  if (src.source === undefined) {
    out.diagnostics.push(diag('NET5013', syntheticSpan(file), { file, detail: src.problem ?? 'unknown reason' }));
    return out;
  }
  out.source = src.source;
  if (renamed.length > 0) {
    out.diagnostics.push(diag('NET5014', syntheticSpan(file), { file, detail: reasons.join('; '), count: renamed.length }));
  }
  return out;
}
