/**
 * Bounded fuzzing in CI (about 50 s in all): fixed seeds, so a failure reproduces with
 * `npm run fuzz -- --seed <seed> --inputs <n>`. Every input must end in success or
 * diagnostics; the figures are printed for the log.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, fuzz, seeds } from './engine.ts';

/** CI machines are shared: a stage is "slow" here only past 5 s (long runs use 2 s). */
const SLOW_MS = 5000;

const describeFindings = (r: Awaited<ReturnType<typeof fuzz>>): string =>
  r.findings.map((f) => `${f.kind} in ${f.stage}: ${f.message}\n--- input (${f.file}) ---\n${f.input.slice(0, 2000)}`).join('\n\n');

describe('fuzzing', () => {
  it('has a seed corpus from every shipped source and spec case', () => {
    const corpus = seeds();
    expect(corpus.length).toBeGreaterThan(300);
    for (const dir of ['examples/', 'src/std/', 'test/fixtures/models/', 'spec/conformance/', 'spec/syntax/']) {
      expect(corpus.some((s) => s.name.startsWith(dir)), dir).toBe(true);
    }
  });

  it('random bytes and text: parse, print and check never throw', async () => {
    const r = await fuzz({ seed: 101, budgetMs: 8000, maxInputs: 3000, strategies: { bytes: 1, text: 1, mutation: 0, mild: 0, seed: 0 }, slowMs: SLOW_MS, interpret: false, build: false });
    console.log(formatReport(r));
    expect(r.inputs).toBeGreaterThan(50);
    expect(r.findings, describeFindings(r)).toEqual([]);
  }, 60_000);

  it('mutated sources: every stage up to the interpreter', async () => {
    const r = await fuzz({ seed: 202, budgetMs: 20_000, maxInputs: 2000, slowMs: SLOW_MS, build: false });
    console.log(formatReport(r));
    expect(r.inputs).toBeGreaterThan(50);
    expect(r.stages['interpret'] ?? 0).toBeGreaterThan(0);
    expect(r.findings, describeFindings(r)).toEqual([]);
  }, 90_000);

  it('mutated sources: small graphs through the Wasm backend agree with the interpreter', async () => {
    const r = await fuzz({ seed: 303, budgetMs: 20_000, maxInputs: 1000, slowMs: SLOW_MS, strategies: { bytes: 0, text: 0, mutation: 0.4, mild: 0.4, seed: 0.2 } });
    console.log(formatReport(r));
    expect(r.stages['build'] ?? 0).toBeGreaterThan(0);
    expect(r.findings, describeFindings(r)).toEqual([]);
  }, 120_000);
});
