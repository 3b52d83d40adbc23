/**
 * The GitHub Action (action.yml at the repository root) run as the runner would run it: each
 * composite step's `run:` script in bash with its `env:` and `${{ }}` expressions filled in
 * from the inputs, `github.action_path` and earlier steps' outputs, against a small fixture
 * repository. `uses:` steps (the SARIF upload) are recorded with their inputs, not run.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildBundle } from '../../scripts/build.ts';
import { cleanEnv, ROOT } from '../support/package.ts';

interface Step {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  'working-directory'?: string;
  env?: Record<string, string>;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}

interface ActionFile {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionFile;

interface ActionRun {
  /** The action's result: the status of the first failing step, else 0. */
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, Record<string, string>>;
  uses: { uses: string; with: Record<string, string> }[];
}

function runAction(workspace: string, actionPath: string, given: Record<string, string>): ActionRun {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? spec.default ?? '';
  const outputs: Record<string, Record<string, string>> = {};
  const expand = (text: string) => text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    let m: RegExpExecArray | null;
    if ((m = /^inputs\.([\w-]+)$/.exec(expr))) return inputs[m[1]!] ?? '';
    if (expr === 'github.action_path') return actionPath;
    if ((m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr))) return outputs[m[1]!]?.[m[2]!] ?? '';
    throw new Error(`expression not understood by this test: ${expr}`);
  });
  const condition = (expr: string) => {
    const m = /^inputs\.([\w-]+) == '([^']*)'$/.exec(expr.trim());
    if (!m) throw new Error(`condition not understood by this test: ${expr}`);
    return inputs[m[1]!] === m[2];
  };
  const result: ActionRun = { status: 0, stdout: '', stderr: '', outputs, uses: [] };
  for (const step of action.runs.steps) {
    if (step.if !== undefined && !condition(step.if)) continue;
    if (step.uses) {
      result.uses.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(v)])) });
      continue;
    }
    expect(step.shell).toBe('bash');
    const outputFile = join(mkdtempSync(join(tmpdir(), 'netc-action-output-')), 'output');
    writeFileSync(outputFile, '');
    const env = { ...cleanEnv(), GITHUB_OUTPUT: outputFile, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v)])) };
    const cwd = resolve(workspace, expand(step['working-directory'] ?? '.'));
    // How the runner calls `shell: bash`.
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd, env, encoding: 'utf8' });
    result.stdout += r.stdout;
    result.stderr += r.stderr;
    if (step.id) {
      outputs[step.id] = Object.fromEntries(readFileSync(outputFile, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    }
    if (r.status !== 0) {
      result.status = r.status ?? 1;
      break;
    }
  }
  return result;
}

const GOOD = 'network Good {\n  in x: f32[1, 3, H, H]\n  out y = x |> maxpool(k=2) |> upsample(scale=2) |> add(x)\n}\n';
const BAD = 'network Bad {\n  in x: f32[1, 3, 8, 8]\n  out y = x |> conv(4, k=3) |> add(x)\n}\n';

describe('the GitHub Action (action.yml)', () => {
  // The action's own checkout, built: its bundle resolves packages from this checkout's
  // node_modules, so the folder sits inside it.
  const actionPath = mkdtempSync(join(ROOT, 'node_modules', '.netc-action-test-'));
  const repos: string[] = [];
  const repo = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'netc-action-repo-'));
    repos.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(resolve(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  beforeAll(async () => {
    cpSync(join(ROOT, 'action.yml'), join(actionPath, 'action.yml'));
    cpSync(join(ROOT, 'bin'), join(actionPath, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(actionPath, 'package.json'));
    await buildBundle(join(actionPath, 'dist'));
  }, 120_000);

  afterAll(() => {
    rmSync(actionPath, { recursive: true, force: true });
    for (const dir of repos) rmSync(dir, { recursive: true, force: true });
  });

  it('is a composite action whose inputs cover paths, bindings, config and SARIF upload', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'bindings', 'config', 'sarif-upload']));
  });

  it('passes a clean repository, checking the working directory by default', () => {
    const r = runAction(repo({ 'models/good.net': GOOD }), actionPath, {});
    expect(r.stdout).not.toMatch(/::error/);
    expect(r.outputs['check']).toEqual({ 'exit-code': '0' });
    expect(r.status).toBe(0);
    expect(r.uses).toEqual([]);
  });

  it('annotates errors, fails with the exit status of netc check, and uploads SARIF when asked', () => {
    const dir = repo({ 'models/good.net': GOOD, 'models/bad.net': BAD });
    const r = runAction(dir, actionPath, { paths: 'models/good.net\nmodels/b*.net', 'sarif-upload': 'true' });
    expect(r.stdout).toMatch(/^::error file=models\/bad\.net,line=3,/m);
    expect(r.outputs['check']!['exit-code']).not.toBe('0');
    expect(r.status).toBe(Number(r.outputs['check']!['exit-code']));
    expect(r.uses).toEqual([{ uses: expect.stringMatching(/^github\/codeql-action\/upload-sarif@/), with: { sarif_file: './netc.sarif', category: 'netc' } }]);
    const sarif = JSON.parse(readFileSync(join(dir, 'netc.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toContain('models/bad.net');
  });

  it('exits 1 on problems in the given paths only', () => {
    const dir = repo({ 'models/good.net': GOOD, 'models/bad.net': BAD });
    expect(runAction(dir, actionPath, { paths: 'models/good.net' }).status).toBe(0);
    const r = runAction(dir, actionPath, { paths: 'models/bad.net' });
    expect(r.status).toBe(1);
    expect(r.outputs['check']).toEqual({ 'exit-code': '1' });
  });

  it('binds dimensions from the bindings input, and reads the given config file', () => {
    const dir = repo({ 'good.net': GOOD, 'ci/odd.yaml': 'bind: { H: 31 }\n' });
    expect(runAction(dir, actionPath, { paths: 'good.net' }).status).toBe(0);
    const bound = runAction(dir, actionPath, { paths: 'good.net', bindings: 'H=31' });
    expect(bound.status).toBe(1);
    expect(bound.stdout).toMatch(/^::error file=good\.net/m);
    expect(runAction(dir, actionPath, { paths: 'good.net', bindings: 'H=32' }).status).toBe(0);
    expect(runAction(dir, actionPath, { paths: 'good.net', config: 'ci/odd.yaml' }).status).toBe(1);
  });

  it("uses the workspace's own netc when the project depends on it", () => {
    const dir = repo({ 'sub/good.net': GOOD });
    mkdirSync(join(dir, 'sub/node_modules/.bin'), { recursive: true });
    symlinkSync(join(actionPath, 'bin/netc.js'), join(dir, 'sub/node_modules/.bin/netc'));
    const r = runAction(dir, actionPath, { 'working-directory': 'sub' });
    expect(r.outputs['netc']!['command']).toBe(join(dir, 'sub/node_modules/.bin/netc'));
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'sub/netc.sarif'))).toBe(false);
  });
});
