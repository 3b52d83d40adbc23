/**
 * `npm run bench:threads`: netc on two threads against netc on one and onnxruntime-web on
 * two, on GoogLeNet, ResNet-50 and the 3-D U-Net (the workloads of networks.ts).
 *
 * netc's module is built with `threads: 2` and run through its generated loader, with
 * `load(..., { threads: 1 })` and `{ threads: 2 }` (the same module and kernels; one thread
 * runs every slice of the split convs in turn), and the module built without threads
 * ('netc', the one-thread baseline: its slices do not each pad or transform the input). onnxruntime-web reads its thread count
 * once per process, so its one-thread figures are `npm run bench`'s. After a warm-up of at
 * least WARMUP_MS per contender, runs alternate between contenders; medians and minima, the
 * speed-up of two threads over one, and the load average when each row finished (the
 * figures mean little when the machine has no two idle cores), and the process's CPU time
 * per run (all threads; the same for one and two threads when the split adds no work).
 *
 * Options: --quick (fewer runs), --only googlenet[,resnet50] (workload ids).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Graph } from '../src/ir/graph.ts';
import { numel } from '../src/ir/tensor.ts';
import { median, type Contender } from './contender.ts';
import { seeded } from './layers.ts';
import { ortContender, useOrtThreads } from './peers/ort.ts';
import { graphParams } from '../src/ir/params.ts';
import { graphMacs } from '../src/ops/registry.ts';

const THREADS = 2;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').map((s) => s.trim().toLowerCase())) : undefined;
const RUNS = quick ? 5 : 15;
const WARMUP_MS = 1000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The workloads of networks.ts that the thread goal names, with its seed of random weights. */
const NETWORKS = [
  { id: 'googlenet', title: 'GoogLeNet 224x224', file: 'googlenet.net' },
  { id: 'resnet50', title: 'ResNet-50 224x224', file: 'resnet50.net' },
  { id: 'unet3d', title: '3D U-Net, 32^3 input', file: 'unet3d.net', entry: 'UNet3D', bindings: { D: 32, H: 32, W: 32 } },
];
type Workload = (typeof NETWORKS)[number] & { entry?: string; bindings?: Record<string, number> };
const IDS = NETWORKS.map((n) => n.id);
const SEED = 1;

function networkSource(nw: Workload): { source: string; opts: { file: string; entry?: string; bindings?: Record<string, number>; randomWeights: number } } {
  return { source: readFileSync(join(root, 'examples', nw.file), 'utf8'), opts: { file: nw.file, entry: nw.entry, bindings: nw.bindings, randomWeights: SEED } };
}

/** onnxruntime-web on netc's ONNX export of the graph before the passes (as networks.ts), and the MACs. */
async function ortNetworkContender(nw: Workload, inputs: { name: string; shape: number[]; data: Float32Array }[], skipped: string[]): Promise<{ contender?: Contender; macs?: number }> {
  const api = await import('../src/api.ts');
  const { randomWeights } = await import('../src/io/randomWeights.ts');
  const { exportOnnx } = await import('../src/io/onnx/export.ts');
  const { source, opts } = networkSource(nw);
  const plain = await api.compile(source, { ...opts, passes: [] });
  if (!plain.graph) {
    skipped.push('onnxruntime-web: no graph from compile(passes: [])');
    return {};
  }
  const graph: Graph<number> = plain.graph;
  const macs = graphMacs(graph);
  try {
    const model = exportOnnx(graph, randomWeights(graphParams(graph), SEED), { opset: 17 });
    return { contender: await ortContender(model, inputs), macs };
  } catch (e) {
    skipped.push(`onnxruntime-web: ${(e as Error).message.split('\n')[0]}`);
    return { macs };
  }
}

interface Model {
  run(x: Float32Array): Float32Array;
  threads: number;
  close(): void;
}

useOrtThreads(THREADS);

async function netcContenders(id: string, dir: string): Promise<{ contenders: Contender[]; input: { name: string; shape: number[]; data: Float32Array } }> {
  const api = await import('../src/api.ts');
  const nw = NETWORKS.find((n) => n.id === id)!;
  const { source, opts } = networkSource(nw);
  const built = await api.compile(source, { ...opts, threads: THREADS });
  if (!built.wasm || !built.layout || !built.loader) throw new Error(`netc compile: ${built.diagnostics.map((d) => d.message).join('; ')}`);
  writeFileSync(join(dir, `${id}.js`), built.loader);
  const { load } = (await import(pathToFileURL(join(dir, `${id}.js`)).href)) as { load(s: Uint8Array, o: { threads: number }): Promise<Model> };
  const spec = built.layout.inputs[0]!;
  const input = { name: spec.name, shape: spec.shape, data: seeded(numel(spec.shape), 100) };
  const contenders: Contender[] = [];
  const single = await api.compile(source, opts);
  writeFileSync(join(dir, `${id}-single.js`), single.loader!);
  const plain = (await import(pathToFileURL(join(dir, `${id}-single.js`)).href)) as { load(s: Uint8Array): Promise<Model> };
  const base = await plain.load(single.wasm!);
  let baseOut: Float32Array = new Float32Array(0);
  contenders.push({ name: 'netc', run: () => void (baseOut = base.run(input.data)), output: () => baseOut });
  for (const threads of [1, THREADS]) {
    const model = await load(built.wasm, { threads });
    if (model.threads !== threads) throw new Error(`netc runs on ${model.threads} threads, not ${threads}`);
    let last: Float32Array = new Float32Array(0);
    contenders.push({
      name: `netc ${threads}T`,
      run() {
        last = model.run(input.data);
      },
      output: () => last,
      dispose: () => model.close(),
    });
  }
  return { contenders, input };
}

async function row(id: string, dir: string): Promise<void> {
  const skipped: string[] = [];
  const { contenders, input } = await netcContenders(id, dir);
  const nw = NETWORKS.find((n) => n.id === id)!;
  const { contender: ort, macs } = await ortNetworkContender(nw, [input], skipped);
  if (ort) contenders.push(ort);
  const slow: boolean[] = [];
  for (const c of contenders) {
    const t0 = performance.now();
    let bestMs = Infinity;
    // At least three runs: the first ones run code V8 has not optimised yet.
    for (let n = 0; n < 3 || performance.now() - t0 < WARMUP_MS; n++) {
      const t = performance.now();
      await c.run();
      bestMs = Math.min(bestMs, performance.now() - t);
    }
    // By the fastest warm-up run: on a busy machine any one run may take long.
    slow.push(bestMs > 1000);
  }
  const times = contenders.map(() => [] as number[]);
  // Process CPU time per run (all threads): equal for netc 1T and 2T when splitting adds no
  // work; a wall-time speed-up below the CPU-time ratio means no second core was free.
  const cpu = contenders.map(() => [] as number[]);
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (k + r) % contenders.length;
      // A contender over a second per run (the 3-D U-Net) gets a third of the rounds.
      if (slow[i] && times[i]!.length >= Math.max(3, Math.ceil(RUNS / 3))) continue;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await contenders[i]!.run();
      times[i]!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[i]!.push((c.user + c.system) / 1000);
    }
  }
  const one = median(times[0]!);
  const two = median(times[2]!);
  const [l1] = loadavg();
  console.log(`\n${id}  ${nw.title}${macs ? `  (${(macs / 1e6).toFixed(0)} M MACs)` : ''}  load average ${l1!.toFixed(2)}`);
  contenders.forEach((c, i) => {
    const med = median(times[i]!);
    const cols = [
      c.name.padEnd(20),
      `${med.toFixed(1).padStart(9)} ms`,
      `min ${Math.min(...times[i]!).toFixed(1).padStart(9)} ms`,
      macs ? `${((2 * macs) / med / 1e6).toFixed(1).padStart(6)} GFLOP/s` : '',
      `cpu ${median(cpu[i]!).toFixed(1).padStart(8)} ms`,
      `(${times[i]!.length} runs)`,
      i === 2 ? `x${(one / med).toFixed(2)} vs netc, x${(median(times[1]!) / med).toFixed(2)} vs netc 1T` : '',
      i === 2 && ort ? `x${(median(times[3]!) / med).toFixed(2)} vs ${ort.name}` : '',
    ];
    console.log('  ' + cols.filter(Boolean).join('  '));
  });
  // Split work, same kernels: the netc outputs must be identical.
  const outs = contenders.slice(0, 3).map((c) => c.output());
  const same = outs.every((o) => o.length === outs[0]!.length && o.every((v, i) => Object.is(v, outs[0]![i])));
  console.log(`  netc, netc 1T and netc ${THREADS}T outputs ${same ? 'bit-identical' : 'DIFFER'}; two threads x${(one / two).toFixed(2)} vs netc`);
  for (const s of skipped) console.log(`  skipped ${s}`);
  for (const c of contenders) await c.dispose?.();
}

const dir = mkdtempSync(join(tmpdir(), 'netc-bench-threads-'));
try {
  console.log(`${THREADS} threads against 1; ${RUNS} alternating runs after ${WARMUP_MS} ms of warm-up each; times include input/output copies.`);
  for (const id of IDS) if (!only || only.has(id)) await row(id, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
