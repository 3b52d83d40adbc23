/**
 * `npm run fuzz -- [--seconds 60] [--seed 1] [--seeds 4] [--inputs N] [--out DIR] [--no-build]`
 *
 * Long fuzz runs: every seed runs for `--seconds` (or `--inputs` inputs); figures are
 * printed, and every finding is written to DIR (default fuzz-findings/) as `<n>.net` with a
 * `.txt` beside it saying what went wrong. Exit status 1 when anything was found.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, fuzz } from './engine.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string', default: '1' },
    inputs: { type: 'string' },
    out: { type: 'string', default: 'fuzz-findings' },
    'no-build': { type: 'boolean', default: false },
    'slow-ms': { type: 'string', default: '2000' },
  },
});

const first = Number(values.seed);
let inputs = 0;
let findings = 0;
for (let k = 0; k < Number(values.seeds); k++) {
  const seed = first + k;
  const report = await fuzz({
    seed,
    budgetMs: Number(values.seconds) * 1000,
    maxInputs: values.inputs !== undefined ? Number(values.inputs) : undefined,
    build: !values['no-build'],
    slowMs: Number(values['slow-ms']),
  });
  console.log(formatReport(report));
  inputs += report.inputs;
  findings += report.findings.length;
  if (report.findings.length > 0) {
    mkdirSync(values.out!, { recursive: true });
    report.findings.forEach((f, i) => {
      const base = join(values.out!, `seed${seed}-${i}`);
      writeFileSync(`${base}.net`, f.input);
      writeFileSync(`${base}.txt`, `${f.kind} in ${f.stage} (checked as ${f.file})\n${f.message}\n${f.files ? `\nother files:\n${JSON.stringify(f.files, null, 2)}\n` : ''}`);
    });
  }
}
console.log(`total: ${inputs} inputs, ${findings} findings`);
process.exit(findings > 0 ? 1 : 0);
