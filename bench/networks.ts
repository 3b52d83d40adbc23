/**
 * Whole-network rows: netc's compiled module (all passes) against onnxruntime-web running
 * netc's ONNX export of the same network before the passes, with the same random weights.
 * tfjs has no importer for either format, so it has no network rows.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Graph, ParamRef } from '../src/ir/graph.ts';
import { numel } from '../src/ir/tensor.ts';
import type { Contender } from './contender.ts';
import { seeded } from './layers.ts';
import { ortContender } from './peers/ort.ts';
import type { Row, Timing } from './run.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface NetworkWorkload {
  id: string;
  title: string;
  /** Source text, or a file of examples/. */
  source?: string;
  file?: string;
  entry?: string;
  bindings?: Record<string, number>;
}

const NETWORKS: NetworkWorkload[] = [
  {
    id: 'inception',
    title: 'Inception block 3a (paper form, conv+relu), 192x28x28',
    source: [
      'import { Inception } from "std/inception"',
      'network InceptionBlock {',
      '  in x: f32[1, 192, 28, 28]',
      '  out x |> inception3a: Inception(64, (96, 128), (16, 32), 32)',
      '}',
    ].join('\n'),
  },
  {
    id: 'bottleneck',
    title: 'ResNet bottleneck 256->64->256, 56x56',
    source: [
      'import { Bottleneck } from "std/resnet"',
      'network BottleneckBlock {',
      '  in x: f32[1, 256, 56, 56]',
      '  out x |> layer1: Bottleneck(64)',
      '}',
    ].join('\n'),
  },
  { id: 'dcgan', title: 'DCGAN generator (nz 100, ngf 64), batch 1', file: 'dcgan.net', bindings: { N: 1 } },
  // 32^3 rather than UNet3D64: at 64^3 one run is 245 G MACs (~30 s here).
  { id: 'unet3d', title: '3D U-Net, 32^3 input', file: 'unet3d.net', entry: 'UNet3D', bindings: { D: 32, H: 32, W: 32 } },
  { id: 'googlenet', title: 'GoogLeNet 224x224', file: 'googlenet.net' },
  { id: 'resnet50', title: 'ResNet-50 224x224', file: 'resnet50.net' },
];

const SEED = 1;

function paramsOf(graph: Graph<number>): ParamRef<number>[] {
  const seen = new Map<string, ParamRef<number>>();
  for (const n of graph.nodes) for (const p of Object.values(n.params)) seen.set(p.name, p);
  return [...seen.values()];
}

function macsOf(graph: Graph<number>): number {
  let macs = 0;
  for (const n of graph.nodes) {
    const w = n.params['weight'];
    if (!w) continue;
    const out = graph.values[n.outputs[0]!]!.shape;
    const input = graph.values[n.inputs[0]!]!.shape;
    if (n.op === 'conv') macs += numel(out) * numel(w.shape.slice(1));
    else if (n.op === 'conv_transpose') macs += numel(input) * numel(w.shape.slice(1));
    else if (n.op === 'linear') macs += numel(out) * w.shape[1]!;
  }
  return macs;
}

async function buildPair(nw: NetworkWorkload, skipped: string[]): Promise<{ contenders: Contender[]; macs?: number }> {
  const api = await import('../src/api.ts');
  const { randomWeights } = await import('../src/io/randomWeights.ts');
  const source = nw.source ?? readFileSync(join(root, 'examples', nw.file!), 'utf8');
  const opts = { file: nw.file ?? `${nw.id}.net`, entry: nw.entry, bindings: nw.bindings, randomWeights: SEED };
  const compiled = await api.compile(source, opts);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.wasm || !compiled.layout) throw new Error(`netc compile: ${errors.map((d) => `${d.code} ${d.message}`).join('; ') || 'no module'}`);
  const layout = compiled.layout;
  const inputs = layout.inputs.map((p, i) => ({ name: p.name, shape: p.shape, data: seeded(numel(p.shape), 100 + i) }));
  const contenders: Contender[] = [];
  const inst = new WebAssembly.Instance(new WebAssembly.Module(compiled.wasm as Uint8Array<ArrayBuffer>), {});
  const run = inst.exports['run'] as () => void;
  const mem = inst.exports['memory'] as WebAssembly.Memory;
  const out = layout.outputs[0]!;
  let last: Float32Array = new Float32Array(0);
  contenders.push({
    name: 'netc',
    run() {
      layout.inputs.forEach((p, i) => new Float32Array(mem.buffer, p.offset, numel(p.shape)).set(inputs[i]!.data));
      run();
      last = new Float32Array(mem.buffer, out.offset, numel(out.shape)).slice();
    },
    output: () => last,
  });
  // ONNX: the graph before the passes, with the same random weights.
  const plain = await api.compile(source, { ...opts, passes: [] });
  let macs: number | undefined;
  if (plain.graph) {
    macs = macsOf(plain.graph);
    try {
      const { exportOnnx } = await import('../src/io/onnx/export.ts');
      const model = exportOnnx(plain.graph, randomWeights(paramsOf(plain.graph), SEED), { opset: 17 });
      contenders.push(await ortContender(model, inputs));
    } catch (e) {
      skipped.push(`onnxruntime-web: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    skipped.push('onnxruntime-web: no graph from compile(passes: [])');
  }
  skipped.push('tfjs-wasm: no model importer for netc graphs (layer rows only)');
  return { contenders, macs };
}

export async function networkRows(
  only: Set<string> | undefined,
  time: (c: Contender[]) => Promise<Timing[]>,
  _gather: unknown,
  print: (r: Row) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const nw of NETWORKS) {
    if (only && !only.has(nw.id)) continue;
    const skipped: string[] = [];
    let row: Row;
    try {
      const { contenders, macs } = await buildPair(nw, skipped);
      const timings = await time(contenders);
      for (const c of contenders) await c.dispose?.();
      row = { id: nw.id, title: nw.title, macs, timings, skipped };
    } catch (e) {
      row = { id: nw.id, title: nw.title, timings: [], skipped: [`${(e as Error).message.split('\n')[0]}`] };
    }
    rows.push(row);
    print(row);
  }
  return rows;
}
