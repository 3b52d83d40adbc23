/**
 * The CI integrations shipped in the repository: the GitHub workflow example and the
 * pre-commit hooks. Their commands are run as far as they can be here: the exact command
 * lines, in-process, on a project with a seeded mistake.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { netc } from '../support/cli.ts';

const BAD = `network Bad {\n  in x: f32[1, 3, 8, 8]\n  out y = x |> conv(4, k=3) |> add(x)\n}\n`;

function argv(command: string): string[] {
  // `npx netc check ... > file || test $? -eq 1` -> the netc arguments
  const m = /netc (.*?)(?: >| \|\||$)/.exec(command.trim());
  if (!m) throw new Error(`no netc command in: ${command}`);
  return m[1]!.split(/\s+/).filter(Boolean);
}

describe('GitHub workflow example', () => {
  const wf = parse(readFileSync('examples/ci/netc-check.yml', 'utf8'));
  const steps = (job: string) => wf.jobs[job].steps as { run?: string; uses?: string; with?: Record<string, string> }[];

  it('annotates the pull request with workflow commands', async () => {
    const run = steps('annotations').find((s) => s.run?.includes('netc check'))!.run!;
    const dir = mkdtempSync(join(tmpdir(), 'netc-ci-'));
    writeFileSync(join(dir, 'bad.net'), BAD);
    const r = await netc(argv(run), { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=bad\.net,line=3,/m);
  });

  it('uploads SARIF that names the file and rule', async () => {
    const job = steps('code-scanning');
    const run = job.find((s) => s.run?.includes('netc check'))!.run!;
    expect(run).toMatch(/--format sarif/);
    const upload = job.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(run).toContain(`> ${upload.with!.sarif_file}`);
    expect(wf.jobs['code-scanning'].permissions['security-events']).toBe('write');
    const dir = mkdtempSync(join(tmpdir(), 'netc-ci-'));
    writeFileSync(join(dir, 'bad.net'), BAD);
    const r = await netc(argv(run), { cwd: dir });
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('bad.net');
  });
});

describe('pre-commit hooks', () => {
  const hooks = parse(readFileSync('.pre-commit-hooks.yaml', 'utf8')) as { id: string; entry: string; files: string }[];
  it('define check and fmt hooks on .net files', async () => {
    expect(hooks.map((h) => h.id)).toEqual(['netc-check', 'netc-fmt']);
    for (const h of hooks) expect(new RegExp(h.files).test('models/a.net')).toBe(true);
    // pre-commit appends the staged file names to the entry.
    const dir = mkdtempSync(join(tmpdir(), 'netc-hook-'));
    writeFileSync(join(dir, 'bad.net'), BAD);
    const check = hooks.find((h) => h.id === 'netc-check')!;
    const r = await netc([...check.entry.split(' ').slice(1), 'bad.net'], { cwd: dir });
    expect(r.code).toBe(1);
  });
});
