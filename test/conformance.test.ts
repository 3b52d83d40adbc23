/**
 * Runs the language conformance cases of spec/conformance/*.yaml (format: its README.md):
 * each case's source is checked and its expected shapes, diagnostics, weight names,
 * requirements and counts compared with the checker's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkProgram, type CheckResult } from '../src/check/check.ts';
import { memoryHost } from '../src/check/host.ts';
import { dimToString } from '../src/ir/dim/dim.ts';
import { concretize } from '../src/check/concretize.ts';
import { summarize } from '../src/check/summary.ts';
import { catalogue } from '../src/diag/catalogue.ts';
import type { Diagnostic } from '../src/diag/diagnostic.ts';
import { applyEdits, machineEdits } from '../src/diag/apply-fixes.ts';
import { renderHuman } from '../src/diag/render/human.ts';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

interface ExpectedDiagnostic {
  code: string;
  line: number;
  column: number;
  message?: string;
  file?: string;
}

interface Case {
  name: string;
  source?: string;
  files?: Record<string, string>;
  /** Entry file when `files` is used (default: the first). */
  main?: string;
  entry?: string;
  require_entry?: boolean;
  bind?: Record<string, number>;
  /** Lower instantiation limits (instanceDepth, repeatCount, nodes, steps). */
  limits?: Record<string, number>;
  /** Concretize the checked graph with these sizes; its diagnostics join the check's. */
  concretize?: Record<string, number>;
  shapes?: Record<string, string>;
  diagnostics?: ExpectedDiagnostic[];
  weights?: string[];
  params?: string[];
  requirements?: string[];
  totals?: { params?: number; macs?: number };
  /** The messages of every fix offered, in diagnostic order. */
  fixes?: string[];
  /** The entry file after applying the machine-applicable fixes (what `netc check --fix` writes). */
  fixed?: string;
  /**
   * Compare the full human output (what `netc check` prints) with the fixture
   * `spec/conformance/human/<yaml name>/<case name>.txt`; UPDATE=1 writes it.
   */
  human?: boolean;
}

const dir = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'spec', 'conformance');
const humanDir = join(dir, 'human');
const update = process.env.UPDATE === '1';

/** A case name as a file name: `fix pad=2 (conv)` -> `fix-pad-2-conv`. */
export const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

function loadCases(file: string): Case[] {
  const doc = parse(readFileSync(join(dir, file), 'utf8')) as { cases: Case[] };
  return doc.cases;
}

function run(c: Case): { result: CheckResult; diagnostics: Diagnostic[] } {
  const sources = c.files ?? { 'main.net': c.source ?? '' };
  const main = c.main ?? Object.keys(sources)[0]!;
  const bindings = new Map(Object.entries(c.bind ?? {}));
  const result = checkProgram(main, memoryHost(sources), { bindings, entry: c.entry, requireEntry: c.require_entry, limits: c.limits });
  const diagnostics = result.diagnostics.filter((d) => d.severity !== 'note');
  if (c.concretize && result.graphs[0]) {
    diagnostics.push(...concretize(result.graphs[0], new Map(Object.entries(c.concretize))).diagnostics);
  }
  return { result, diagnostics };
}

const show = (d: { code: string; line: number; column: number; message?: string; file?: string }) =>
  `${d.code} ${d.file ? `${d.file}:` : ''}${d.line}:${d.column}${d.message ? ` ${d.message}` : ''}`;

const allCases: Case[] = [];
for (const file of files) {
  const cases = loadCases(file);
  allCases.push(...cases);
  describe(file, () => {
    for (const c of cases) {
      it(c.name, () => {
        const { result, diagnostics } = run(c);
        const mainFile = c.main ?? Object.keys(c.files ?? { 'main.net': '' })[0]!;
        const got = diagnostics.map((d) => ({
          code: d.code, line: d.span.start.line, column: d.span.start.column, message: d.message,
          file: d.span.file === mainFile ? undefined : d.span.file,
        }));
        const want = c.diagnostics ?? [];
        const key = (d: ExpectedDiagnostic) => show({ ...d, message: undefined });
        expect(got.map(key), got.map(show).join('\n')).toEqual(want.map(key));
        want.forEach((w, i) => {
          if (w.message !== undefined) expect(got[i]!.message).toContain(w.message);
        });
        if (c.fixes) expect(diagnostics.flatMap((d) => (d.fixes ?? []).map((f) => f.message))).toEqual(c.fixes);
        if (c.fixed !== undefined) {
          const sources = c.files ?? { 'main.net': c.source ?? '' };
          const edits = machineEdits(diagnostics, (f) => f === mainFile).find((e) => e.file === mainFile)?.edits ?? [];
          expect(applyEdits(sources[mainFile]!, edits).text).toBe(c.fixed);
        }
        if (c.human) {
          const sources = c.files ?? { 'main.net': c.source ?? '' };
          const host = memoryHost(sources);
          const text = renderHuman(diagnostics, (f) => host.read(f), { color: false });
          const fixture = join(humanDir, file.replace(/\.yaml$/, ''), `${slug(c.name)}.txt`);
          if (update) {
            mkdirSync(join(fixture, '..'), { recursive: true });
            writeFileSync(fixture, text);
          } else {
            expect(existsSync(fixture), `${fixture} (UPDATE=1 writes it)`).toBe(true);
            expect(text).toBe(readFileSync(fixture, 'utf8'));
          }
        }
        const graph = c.entry ? result.graphs.find((g) => g.name === c.entry) : result.graphs[0];
        if (c.shapes) {
          expect(graph, 'a graph').toBeDefined();
          for (const [name, shape] of Object.entries(c.shapes)) {
            const h = result.hovers.find((x) => x.network === graph!.name && x.instance === '' && x.name === name);
            expect(h, `value ${name}`).toBeDefined();
            const text = h!.shape ? `[${h!.shape.map(dimToString).join(', ')}]` : h!.scalar;
            expect(text, `shape of ${name}`).toBe(shape);
          }
        }
        if (c.weights) {
          expect(graph!.nodes.flatMap((n) => Object.values(n.params).map((p) => p.name))).toEqual(c.weights);
        }
        if (c.params) {
          expect(graph!.nodes.flatMap((n) => Object.values(n.params).filter((p) => p.trainable).map((p) => p.name))).toEqual(c.params);
        }
        if (c.requirements) {
          expect(result.requirements.map((r) => r.text)).toEqual(c.requirements);
        }
        if (c.totals) {
          const concrete = concretize(graph!, new Map(Object.entries(c.bind ?? {})));
          expect(concrete.diagnostics).toEqual([]);
          const s = summarize(concrete.graph!);
          if (c.totals.params !== undefined) expect(s.totals.params).toBe(c.totals.params);
          if (c.totals.macs !== undefined) expect(s.totals.macs).toBe(c.totals.macs);
        }
      });
    }
  });
}

describe('conformance coverage', () => {
  it('has at least 150 cases with unique names', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(150);
    const names = allCases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('exercises every checker diagnostic (NET1xxx, NET21xx, NET9xxx)', () => {
    const used = new Set(allCases.flatMap((c) => (c.diagnostics ?? []).map((d) => d.code)));
    if (allCases.some((c) => (c.requirements ?? []).length > 0)) used.add('NET2104');
    const codes = Object.keys(catalogue).filter((k) => /^NET(1\d{3}|21\d{2}|9\d{3})$/.test(k));
    const unlisted = codes.filter((k) => !used.has(k) && !(catalogue as Record<string, { retired?: boolean }>)[k]!.retired);
    expect(unlisted).toEqual([]);
  });
});
