/**
 * The fuzz loop: from a seed, generate inputs (random bytes and text, mutations of the seed
 * corpus) until a time or count budget is spent, run each through every stage, and collect
 * figures and findings. Deterministic for a given seed and input count (a time budget only
 * decides where the run stops).
 */
import { loadSeeds, type Seed } from './corpus.ts';
import { mutate, mutateNumbers, randomBytesText, randomText } from './mutate.ts';
import { makeRng } from './rng.ts';
import { runInput, type Finding, type TargetOptions } from './targets.ts';

/**
 * bytes / text: random input; mutation: 1-4 token mutations of a seed; mild: 1-2 number
 * mutations only (the file stays well-formed, so more inputs reach the engines); seed: a
 * seed unchanged.
 */
export type Strategy = 'bytes' | 'text' | 'mutation' | 'mild' | 'seed';

export interface FuzzOptions extends Partial<TargetOptions> {
  seed: number;
  /** Stop after this many milliseconds... */
  budgetMs: number;
  /** ...or this many inputs, whichever comes first. */
  maxInputs?: number;
  /** Weights of the strategies (default: mostly mutations). */
  strategies?: Partial<Record<Strategy, number>>;
  /** Called after every input (progress). */
  onInput?: (count: number) => void;
}

export interface FuzzReport {
  seed: number;
  inputs: number;
  byStrategy: Record<Strategy, number>;
  /** How many inputs reached each stage. */
  stages: Record<string, number>;
  findings: Finding[];
  elapsedMs: number;
}

const DEFAULT_STRATEGIES: Record<Strategy, number> = { bytes: 0.05, text: 0.05, mutation: 0.6, mild: 0.25, seed: 0.05 };

let cachedSeeds: Seed[] | undefined;
export function seeds(): Seed[] {
  return (cachedSeeds ??= loadSeeds());
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const rng = makeRng(options.seed);
  const corpus = seeds();
  const weights = { ...DEFAULT_STRATEGIES, ...(options.strategies ?? {}) };
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  const target: TargetOptions = { slowMs: options.slowMs ?? 2000, interpret: options.interpret ?? true, build: options.build ?? true };
  const report: FuzzReport = {
    seed: options.seed, inputs: 0, byStrategy: { bytes: 0, text: 0, mutation: 0, mild: 0, seed: 0 }, stages: {}, findings: [], elapsedMs: 0,
  };
  // Loading binaryen takes seconds the first time: do it before the clock starts, so the
  // first build is not reported as slow.
  if (target.build) await runInput('network W {\n  in x: [1, 1, 2, 2]\n  out y = x |> relu\n}\n', 'warm.net', undefined, makeRng(0), { ...target, slowMs: Infinity });
  const start = performance.now();
  const seen = new Set<string>();
  while (performance.now() - start < options.budgetMs && report.inputs < (options.maxInputs ?? Infinity)) {
    let r = rng.next() * total;
    let strategy: Strategy = 'mutation';
    for (const [k, w] of Object.entries(weights) as [Strategy, number][]) {
      if ((r -= w) < 0) {
        strategy = k;
        break;
      }
    }
    const base = rng.pick(corpus);
    let text: string;
    if (strategy === 'bytes') text = randomBytesText(rng, rng.int(0, 600));
    else if (strategy === 'text') text = randomText(rng, rng.int(0, 400));
    else if (strategy === 'seed') text = base.text;
    else if (strategy === 'mild') text = mutateNumbers(base.text, rng);
    else text = mutate(base.text, rng, rng.pick(corpus).text).text;
    report.inputs++;
    report.byStrategy[strategy]++;
    // Build only for a quarter of the inputs: binaryen dominates the time otherwise.
    const result = await runInput(text, base.file ?? 'main.net', base.files, rng, { ...target, build: target.build && rng.chance(0.25) });
    for (const s of result.stages) report.stages[s] = (report.stages[s] ?? 0) + 1;
    for (const f of result.findings) {
      // One finding per distinct (kind, stage, first message line).
      const key = `${f.kind}|${f.stage}|${f.message.split('\n')[0]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report.findings.push(f);
    }
    options.onInput?.(report.inputs);
  }
  report.elapsedMs = performance.now() - start;
  return report;
}

/** Figures as printed by `npm run fuzz` and the CI fuzz tests. */
export function formatReport(r: FuzzReport): string {
  const lines = [
    `fuzz seed ${r.seed}: ${r.inputs} inputs in ${(r.elapsedMs / 1000).toFixed(1)} s ` +
      `(${Object.entries(r.byStrategy).map(([k, v]) => `${k} ${v}`).join(', ')})`,
    `  stages reached: ${Object.entries(r.stages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  findings: ${r.findings.length}`,
  ];
  for (const f of r.findings) {
    lines.push(`  - ${f.kind} in ${f.stage}: ${f.message.split('\n')[0]}`);
  }
  return lines.join('\n');
}
