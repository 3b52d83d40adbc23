/**
 * `npm run bench`: netc against onnxruntime-web (wasm, one thread, SIMD) and
 * @tensorflow/tfjs-backend-wasm (one thread) on the same weights and inputs.
 *
 * Every contender of a workload lives in this process; after warm-up, runs alternate
 * between contenders (round robin) so that the machine's drifts hit all of them alike.
 * Reported: median and minimum of the runs, GFLOP/s = 2 * MACs / median, the ratio of the
 * best peer's median to netc's (above 1: netc is faster), and netc's share of the SIMD
 * multiply-add peak measured here (peak.ts). A timed run includes copying the input in and
 * the output out for every contender. Rows whose pieces are missing are skipped with the
 * reason. Results go to bench/results.json.
 *
 * Layer rows also time netc variants against netc itself: 'netc no-winograd' on 3x3 rows,
 * 'netc run() only' (the kernel without the input and output copies) on depthwise rows, and
 * 'netc relaxed' (relaxed-SIMD kernels) where the engine has relaxed SIMD (Node 20:
 * npx tsx --experimental-wasm-relaxed-simd bench/run.ts).
 *
 * Options: --quick (fewer runs), --only W2[,W3] (workload ids or network names).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { relativeL2 } from '../src/ir/tensor.ts';
import { median, type Contender } from './contender.ts';
import { LAYERS, layerData, macsOf, netcContender, ortLayerContender, tfLayerContender, winogradCandidate } from './layers.ts';
import { networkRows, type ColdStart } from './networks.ts';
import { measureSimdPeak } from './peak.ts';
import { checkerRows } from './checker.ts';
import { googlenetBatchRatio, type BatchRatio } from './batch.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').map((s) => s.trim().toLowerCase())) : undefined;
const RUNS = quick ? 7 : 25;
const WARMUP = quick ? 4 : 10;
/** Every contender warms up for at least this long (and WARMUP runs) before timing. */
const WARMUP_MS = 1000;

export interface Timing {
  name: string;
  medianMs: number;
  minMs: number;
  runs: number;
  /** Relative L2 difference of this contender's output from netc's. */
  diffFromNetc?: number;
}

export interface Row {
  id: string;
  title: string;
  macs?: number;
  timings: Timing[];
  skipped: string[];
  /** Network rows: load() to the first result (cold-start.ts). */
  coldStart?: ColdStart;
}

/** A contender whose single run takes longer than this gets fewer runs (reported). */
const SLOW_MS = 1000;

/**
 * Warm up (WARMUP runs and at least WARMUP_MS each), then time `RUNS` rounds, each running
 * every contender once in turn. A contender slower than SLOW_MS per run (tfjs's scalar 3-D
 * and transposed convolutions), judged on its second run since the first waits for optimised
 * code, is warmed up by those two runs and timed in the first RUNS / 5 rounds only (at least
 * 3), so a row stays minutes.
 */
export async function timeContenders(contenders: Contender[]): Promise<Timing[]> {
  const budget: number[] = [];
  for (const c of contenders) {
    const t0 = performance.now();
    // The first run also waits for V8's optimised code: judge the speed on the second.
    await c.run();
    const t1 = performance.now();
    await c.run();
    const slow = performance.now() - t1 > SLOW_MS;
    budget.push(slow ? Math.max(3, Math.ceil(RUNS / 5)) : RUNS);
    if (!slow) for (let i = 2; i < WARMUP || performance.now() - t0 < WARMUP_MS; i++) await c.run();
  }
  const times = contenders.map(() => [] as number[]);
  for (let r = 0; r < RUNS; r++) {
    for (let k = 0; k < contenders.length; k++) {
      // Rotate the starting contender so none always runs right after another one.
      const i = (k + r) % contenders.length;
      if (times[i]!.length >= budget[i]!) continue;
      const t0 = performance.now();
      await contenders[i]!.run();
      times[i]!.push(performance.now() - t0);
    }
  }
  const netc = contenders.find((c) => c.name === 'netc');
  return contenders.map((c, i) => ({
    name: c.name,
    medianMs: median(times[i]!),
    minMs: Math.min(...times[i]!),
    runs: times[i]!.length,
    diffFromNetc: netc && c !== netc ? relativeL2(c.output(), netc.output()) : undefined,
  }));
}

/** Build what can be built; a contender that fails is reported, not fatal. */
export async function gather(builders: [string, () => Promise<Contender>][], skipped: string[]): Promise<Contender[]> {
  const out: Contender[] = [];
  for (const [name, build] of builders) {
    try {
      out.push(await build());
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

async function layerRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const w of LAYERS) {
    if (only && !only.has(w.id.toLowerCase()) && !only.has(w.id.toLowerCase().replace(/[ab]$/, ''))) continue;
    const d = layerData(w);
    const skipped: string[] = [];
    const contenders = await gather([
      ['netc', () => netcContender(d)],
      ...(winogradCandidate(w) ? [['netc no-winograd', () => netcContender(d, 'netc no-winograd', { winograd: 'never' })] as [string, () => Promise<Contender>]] : []),
      // Layers that move more data than they compute: the copies in and out would dominate.
      ...(w.attrs.groups > 1 ? [['netc run() only', () => netcContender(d, 'netc run() only', {}, true)] as [string, () => Promise<Contender>]] : []),
      ...(relaxedHere ? [['netc relaxed', () => netcContender(d, 'netc relaxed', { module: { relaxed: true } })] as [string, () => Promise<Contender>]] : []),
      ['onnxruntime-web', () => ortLayerContender(d)],
      ['tfjs-wasm', () => tfLayerContender(w, d)],
    ], skipped);
    const timings = contenders.length ? await timeContenders(contenders) : [];
    for (const c of contenders) await c.dispose?.();
    rows.push({ id: w.id, title: w.title, macs: macsOf(w), timings, skipped });
    printRow(rows[rows.length - 1]!);
  }
  return rows;
}

let peakGflops = 0;
let relaxedPeakGflops = 0;
// A function of one f32x4.relaxed_madd: relaxed SIMD rows run where the engine takes it
// (Node 20: npx tsx --experimental-wasm-relaxed-simd bench/run.ts).
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0, 32, 0, 32, 0, 253, 133, 2, 11]);
const relaxedHere = WebAssembly.validate(RELAXED_PROBE);

function printRow(row: Row): void {
  const netc = row.timings.find((t) => t.name === 'netc');
  // Variants of netc (a path switched off) are compared with netc, not counted as peers.
  const peers = row.timings.filter((t) => !t.name.startsWith('netc'));
  const best = peers.length ? peers.reduce((a, b) => (a.medianMs <= b.medianMs ? a : b)) : undefined;
  console.log(`\n${row.id}  ${row.title}${row.macs ? `  (${(row.macs / 1e6).toFixed(1)} M MACs)` : ''}`);
  for (const t of row.timings) {
    const gf = row.macs ? (2 * row.macs) / t.medianMs / 1e6 : undefined;
    const cols = [
      t.name.padEnd(16),
      `${t.medianMs.toFixed(3).padStart(9)} ms`,
      `min ${t.minMs.toFixed(3).padStart(9)} ms`,
      gf !== undefined ? `${gf.toFixed(1).padStart(6)} GFLOP/s` : ''.padStart(14),
      t.runs < RUNS ? `(${t.runs} runs)` : '',
      t.name === 'netc' && best ? `x${(best.medianMs / t.medianMs).toFixed(2)} vs ${best.name}` : '',
      // Above 1: the variant is faster than netc's default build.
      t.name !== 'netc' && t.name.startsWith('netc') && netc ? `x${(netc.medianMs / t.medianMs).toFixed(2)} vs netc (min x${(netc.minMs / t.minMs).toFixed(2)})` : '',
      (t.name === 'netc' || t.name === 'netc run() only') && gf !== undefined && peakGflops ? `${((100 * gf) / peakGflops).toFixed(0)}% of peak` : '',
      t.name === 'netc relaxed' && gf !== undefined && relaxedPeakGflops ? `${((100 * gf) / relaxedPeakGflops).toFixed(0)}% of relaxed peak` : '',
      t.diffFromNetc !== undefined ? `diff ${t.diffFromNetc.toExponential(1)}` : '',
    ];
    console.log('  ' + cols.filter(Boolean).join('  '));
  }
  if (!netc && row.timings.length) console.log('  (netc missing)');
  const cold = row.coldStart;
  if (cold) {
    const peer = cold.peerMs !== undefined ? `, ${cold.peer} ${cold.peerMs.toFixed(0)} ms (session creation + first run), x${(cold.peerMs / cold.netcMs).toFixed(2)}` : '';
    console.log(`  cold start (load() to first result): netc ${cold.netcMs.toFixed(0)} ms${peer}`);
  }
  for (const s of row.skipped) console.log(`  skipped ${s}`);
}

const geomean = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/**
 * The closing line: geometric means over the networks of netc's speed against the best peer
 * (above 1: netc is faster), warm and cold.
 */
function printSummary(nets: Row[]): void {
  const warm: number[] = [];
  const relaxed: number[] = [];
  const cold: number[] = [];
  for (const r of nets) {
    const netc = r.timings.find((t) => t.name === 'netc');
    const peers = r.timings.filter((t) => !t.name.startsWith('netc'));
    if (!netc || !peers.length) continue;
    const best = Math.min(...peers.map((t) => t.medianMs));
    warm.push(best / netc.medianMs);
    const rel = r.timings.find((t) => t.name === 'netc relaxed');
    if (rel) relaxed.push(best / rel.medianMs);
    if (r.coldStart?.peerMs !== undefined) cold.push(r.coldStart.peerMs / r.coldStart.netcMs);
  }
  if (!warm.length) return;
  const parts = [`exact x${geomean(warm).toFixed(2)} (lowest x${Math.min(...warm).toFixed(2)})`];
  if (relaxed.length === warm.length) parts.push(`relaxed x${geomean(relaxed).toFixed(2)}`);
  if (cold.length) parts.push(`cold start x${geomean(cold).toFixed(2)} (${cold.filter((c) => c >= 1).length} of ${cold.length} at or below the peer)`);
  console.log(`\ngeometric mean over ${warm.length} networks, netc vs the best peer: ${parts.join(', ')}`);
}

async function main(): Promise<void> {
  const peak = await measureSimdPeak();
  peakGflops = peak.gflops;
  console.log(`Wasm SIMD mul+add peak on this machine: ${peak.gflops.toFixed(1)} GFLOP/s (${peak.how})`);
  if (relaxedHere) {
    relaxedPeakGflops = (await measureSimdPeak(9, true)).gflops;
    console.log(`relaxed SIMD (relaxed_madd) peak: ${relaxedPeakGflops.toFixed(1)} GFLOP/s; 'netc relaxed' rows run the relaxed kernels`);
  } else console.log('relaxed SIMD not available in this engine (Node 20: npx tsx --experimental-wasm-relaxed-simd bench/run.ts): no relaxed rows');
  console.log(`${RUNS} timed runs per contender after ${WARMUP} warm-up runs and at least ${WARMUP_MS / 1000} s, alternating; times include input/output copies.`);
  const rows = await layerRows();
  const nets = await networkRows(only, timeContenders, relaxedHere, printRow);
  let batch: BatchRatio | undefined;
  if (!only || only.has('googlenet-b4')) {
    batch = await googlenetBatchRatio(timeContenders);
    const [b1, b4] = batch.timings;
    console.log(`\nGoogLeNet batch 4 / batch 1, netc, alternating: x${batch.medianRatio.toFixed(2)} (min x${batch.minRatio.toFixed(2)}; ${b1!.medianMs.toFixed(1)} ms and ${b4!.medianMs.toFixed(1)} ms)`);
  }
  printSummary(nets);
  const checker = only ? [] : await checkerRows();
  for (const c of checker) console.log(`\n${c.title}: ${c.value ?? 'skipped: ' + c.skipped}`);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    peakGflops: peak.gflops,
    relaxedPeakGflops: relaxedPeakGflops || undefined,
    runs: RUNS,
    layers: rows,
    networks: nets,
    googlenetBatch4Ratio: batch && { median: batch.medianRatio, min: batch.minRatio },
    checker,
  };
  writeFileSync(join(here, 'results.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${join('bench', 'results.json')}`);
}

await main();
