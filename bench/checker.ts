/**
 * Front-end speed: the wall time of a cold `netc check examples/` (a new process, as a user
 * runs it), and checker throughput on a generated corpus of 1,000 files in one process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface CheckerRow {
  title: string;
  value?: string;
  skipped?: string;
}

async function coldCheck(): Promise<CheckerRow> {
  const title = 'cold `netc check examples/` (new process, bundled CLI, wall time; median of 5)';
  try {
    // What users run after `npm ci`: the bundle, rebuilt here so that it matches the sources.
    const { buildBundle } = await import('../scripts/build.ts');
    await buildBundle();
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      execFileSync(process.execPath, [join(root, 'bin', 'netc.js'), 'check', join(root, 'examples')], { stdio: 'pipe', timeout: 120_000 });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { title, value: `${times[2]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)} ms)` };
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return { title, skipped: (err.stderr?.toString().trim().split('\n').pop() ?? err.message).slice(0, 200) };
  }
}

/**
 * 1,000 files: every example repeated with its networks and blocks renamed, and a share of
 * them with a seeded mistake (a wrong channel count), so the checker also reports.
 */
function corpus(dir: string): number {
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.net')).map((f) => readFileSync(join(root, 'examples', f), 'utf8'));
  let n = 0;
  while (n < 1000) {
    const src = examples[n % examples.length]!;
    let text = src.replace(/\b(network|block)\s+([A-Z]\w*)/g, (_m, kw: string, name: string) => `${kw} ${name}V${n}`);
    if (n % 10 === 0) text = text.replace(/conv\((\d+)/, (_m, c: string) => `conv(${Number(c) + 1}`);
    writeFileSync(join(dir, `m${String(n).padStart(4, '0')}.net`), text);
    n++;
  }
  return n;
}

async function throughput(): Promise<CheckerRow[]> {
  const inProcess = 'checker throughput, 1,000 generated files, one process (sources through tsx)';
  const viaCli = 'checker throughput, 1,000 generated files, `netc check DIR` (bundled CLI, start-up subtracted)';
  let dir: string | undefined;
  try {
    const { checkSource } = await import('../src/check/check.ts');
    dir = mkdtempSync(join(tmpdir(), 'netc-corpus-'));
    const count = corpus(dir);
    const files = readdirSync(dir).map((f) => [f, readFileSync(join(dir!, f), 'utf8')] as const);
    // Warm the process up (module loading, JIT) on a few files first.
    for (const [f, text] of files.slice(0, 20)) checkSource(text, f, {});
    const t0 = performance.now();
    let diagnostics = 0;
    for (const [f, text] of files) diagnostics += checkSource(text, f, {}).diagnostics.length;
    const s = (performance.now() - t0) / 1000;
    const rows: CheckerRow[] = [{ title: inProcess, value: `${(count / s).toFixed(0)} files/s (${count} files in ${(s * 1000).toFixed(0)} ms, ${diagnostics} diagnostics, notes included)` }];
    // The command a CI job runs: one process over the whole folder. Its start-up (a check of
    // one small file) is subtracted so the figure is files per second once running.
    const cli = (args: string[]): number => {
      const t = performance.now();
      try {
        execFileSync(process.execPath, [join(root, 'bin', 'netc.js'), 'check', '--format', 'json', ...args], { stdio: 'pipe', timeout: 300_000 });
      } catch (e) {
        if ((e as { status?: number }).status !== 1) throw e; // exit 1: the seeded mistakes
      }
      return performance.now() - t;
    };
    const startup = Math.min(cli([join(root, 'examples', 'dcgan.net')]), cli([join(root, 'examples', 'dcgan.net')]));
    const whole = Math.min(cli([dir]), cli([dir]));
    rows.push({ title: viaCli, value: `${(count / ((whole - startup) / 1000)).toFixed(0)} files/s (${count} files in ${whole.toFixed(0)} ms, start-up ${startup.toFixed(0)} ms)` });
    return rows;
  } catch (e) {
    return [{ title: inProcess, skipped: (e as Error).message.split('\n')[0] }];
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export async function checkerRows(): Promise<CheckerRow[]> {
  return [await coldCheck(), ...(await throughput())];
}
