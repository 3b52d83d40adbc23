/**
 * Whole-network rows: netc's compiled module (all passes) against onnxruntime-web running
 * netc's ONNX export of the same network before the passes, with the same random weights.
 * tfjs has no importer for either format, so it has no network rows.
 *
 * Each row also measures cold start (cold-start.ts) before anything else runs the network's
 * bytes, and, where the engine has relaxed SIMD, times netc's relaxed kernels ('netc
 * relaxed', through the generated loader) beside the exact ones.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numel } from '../src/ir/tensor.ts';
import type { Contender } from './contender.ts';
import { seeded } from './layers.ts';
import { ortContender } from './peers/ort.ts';
import { coldStart, loaderContender } from './cold-start.ts';
import { graphParams } from '../src/ir/params.ts';
import { graphMacs } from '../src/ops/registry.ts';
import type { Row, Timing } from './run.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

interface NetworkWorkload {
  id: string;
  title: string;
  /** Source text, a file of examples/, or a path from the repository's root. */
  source?: string;
  file?: string;
  path?: string;
  /** A change to the source (GoogLeNet's fixed batch of 1 made 4). */
  transform?: (source: string) => string;
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
  // The reference case's generator: ngf 16, a batch of two latent vectors.
  { id: 'dcgan16-b2', title: 'DCGAN generator (nz 100, ngf 16), batch 2', path: 'test/fixtures/models/dcgan_generator_ngf16.net' },
  // 32^3 rather than UNet3D64: at 64^3 one run is 245 G MACs (~30 s here).
  { id: 'unet3d', title: '3D U-Net, 32^3 input', file: 'unet3d.net', entry: 'UNet3D', bindings: { D: 32, H: 32, W: 32 } },
  { id: 'googlenet', title: 'GoogLeNet 224x224', file: 'googlenet.net' },
  {
    id: 'googlenet-b4',
    title: 'GoogLeNet 224x224, batch 4',
    file: 'googlenet.net',
    // The input and the shape annotations that spell the batch of 1.
    transform: (src) => src.replace(/\[1, (\d)/g, '[4, $1'),
  },
  { id: 'resnet50', title: 'ResNet-50 224x224', file: 'resnet50.net' },
  { id: 'mobilenetv2', title: 'MobileNetV2 224x224', path: 'bench/nets/mobilenetv2.net' },
  { id: 'squeezenet', title: 'SqueezeNet 1.0 224x224', path: 'bench/nets/squeezenet.net' },
  { id: 'inception-v3', title: 'Inception v3 299x299', path: 'bench/nets/inception_v3.net' },
  { id: 'fcn-head', title: 'FCN-8s head: 1x1 scores 256->21 at 28x28, x8 conv_transpose k16 s8 p4', path: 'bench/nets/fcn_head.net' },
];

const SEED = 1;

export interface ColdStart {
  netcMs: number;
  peerMs?: number;
  peer?: string;
}

interface Pair {
  contenders: Contender[];
  macs?: number;
  cold?: ColdStart;
}

type Layout = NonNullable<Awaited<ReturnType<typeof import('../src/api.ts').compile>>['layout']>;

/** netc's module instantiated directly; a run copies the inputs in and the first output out. */
function moduleContender(name: string, wasm: Uint8Array, layout: Layout, inputs: { data: Float32Array }[]): Contender {
  const inst = new WebAssembly.Instance(new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>), {});
  const run = inst.exports['run'] as () => void;
  const mem = inst.exports['memory'] as WebAssembly.Memory;
  const out = layout.outputs[0]!;
  let last: Float32Array = new Float32Array(0);
  return {
    name,
    run() {
      layout.inputs.forEach((p, i) => new Float32Array(mem.buffer, p.offset, numel(p.shape)).set(inputs[i]!.data));
      run();
      last = new Float32Array(mem.buffer, out.offset, numel(out.shape)).slice();
    },
    output: () => last,
  };
}

/** netc's module for a workload (exact kernels) as a contender named `name`. */
export async function netcNetworkContender(id: string, name: string): Promise<Contender> {
  const nw = NETWORKS.find((w) => w.id === id)!;
  const api = await import('../src/api.ts');
  const file = nw.path ? join(root, nw.path) : (nw.file ?? `${nw.id}.net`);
  const compiled = await api.compile(sourceOf(nw), { file, entry: nw.entry, bindings: nw.bindings, randomWeights: SEED });
  if (!compiled.wasm || !compiled.layout) throw new Error(`netc compile of ${id}: no module`);
  const inputs = compiled.layout.inputs.map((p, i) => ({ data: seeded(numel(p.shape), 100 + i) }));
  return moduleContender(name, compiled.wasm, compiled.layout, inputs);
}

function sourceOf(nw: NetworkWorkload): string {
  const text = nw.source ?? readFileSync(nw.path ? join(root, nw.path) : join(root, 'examples', nw.file!), 'utf8');
  return nw.transform ? nw.transform(text) : text;
}

async function buildPair(nw: NetworkWorkload, skipped: string[], relaxedHere: boolean): Promise<Pair> {
  const api = await import('../src/api.ts');
  const { randomWeights } = await import('../src/io/randomWeights.ts');
  const source = sourceOf(nw);
  const file = nw.path ? join(root, nw.path) : (nw.file ?? `${nw.id}.net`);
  const opts = { file, entry: nw.entry, bindings: nw.bindings, randomWeights: SEED };
  const compiled = await api.compile(source, opts);
  const errors = compiled.diagnostics.filter((d) => d.severity === 'error');
  if (!compiled.wasm || !compiled.layout || !compiled.loader) throw new Error(`netc compile: ${errors.map((d) => `${d.code} ${d.message}`).join('; ') || 'no module'}`);
  const layout = compiled.layout;
  const inputs = layout.inputs.map((p, i) => ({ name: p.name, shape: p.shape, data: seeded(numel(p.shape), 100 + i) }));
  // ONNX: the graph before the passes, with the same random weights.
  const plain = await api.compile(source, { ...opts, passes: [] });
  let onnx: Uint8Array | undefined;
  if (plain.graph) {
    try {
      const { exportOnnx } = await import('../src/io/onnx/export.ts');
      onnx = exportOnnx(plain.graph, randomWeights(graphParams(plain.graph), SEED), { opset: 17 });
    } catch (e) {
      skipped.push(`onnxruntime-web: ${(e as Error).message.split('\n')[0]}`);
    }
  } else {
    skipped.push('onnxruntime-web: no graph from compile(passes: [])');
  }
  // Cold start, in processes of their own (cold-start.ts).
  const cold = await coldStart(nw.id, compiled.wasm, compiled.loader, onnx, inputs);
  const contenders: Contender[] = [];
  contenders.push(moduleContender('netc', compiled.wasm, layout, inputs));
  const macs = plain.graph ? graphMacs(plain.graph) : undefined;
  if (onnx) {
    try {
      contenders.push(await ortContender(onnx, inputs));
    } catch (e) {
      skipped.push(`onnxruntime-web: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (relaxedHere) {
    const relaxed = await api.compile(source, { ...opts, relaxedSimd: true });
    if (relaxed.wasm && relaxed.loader) contenders.push(await loaderContender('netc relaxed', `${nw.id}-relaxed`, relaxed.wasm, relaxed.loader, inputs));
    else skipped.push('netc relaxed: no module');
  }
  skipped.push('tfjs-wasm: no model importer for netc graphs (layer rows only)');
  return { contenders, macs, cold };
}

export async function networkRows(
  only: Set<string> | undefined,
  time: (c: Contender[]) => Promise<Timing[]>,
  relaxedHere: boolean,
  print: (r: Row) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const nw of NETWORKS) {
    if (only && !only.has(nw.id)) continue;
    const skipped: string[] = [];
    let row: Row;
    try {
      const { contenders, macs, cold } = await buildPair(nw, skipped, relaxedHere);
      const timings = await time(contenders);
      for (const c of contenders) await c.dispose?.();
      row = { id: nw.id, title: nw.title, macs, timings, skipped, coldStart: cold };
    } catch (e) {
      row = { id: nw.id, title: nw.title, timings: [], skipped: [`${(e as Error).message.split('\n')[0]}`] };
    }
    rows.push(row);
    print(row);
  }
  return rows;
}
