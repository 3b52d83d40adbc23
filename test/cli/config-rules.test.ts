/**
 * netc.yaml `rules:` are one configuration for every command and the language server: they
 * turn warnings and notes off or change their severity, never an error (NET6001 says so).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netc, project as makeProject } from '../support/cli.ts';
import { Workspace } from '../../src/lsp/workspace.ts';
import { writeNpy } from '../../src/io/npy.ts';

const project = (files: Record<string, string>): string => makeProject(files, 'netc-rules-');

const SHAPE_ERROR = `network Bad {
  in x: [1, 3, 16, 16]
  a = x |> conv(8, k=3)
  out y = concat(a, x |> conv(8, k=1))
}
`;

const UNUSED = `network Unused {
  in x: [1, 3, 8, 8]
  spare = x |> relu
  out y = x |> conv(4, k=1)
}
`;

describe('netc.yaml rules', () => {
  it('cannot turn an error off: check still fails, and says why at the rule', async () => {
    const dir = project({ 'netc.yaml': 'rules:\n  NET2002: off\n', 'bad.net': SHAPE_ERROR });
    const r = await netc(['check', 'bad.net', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; line: number; severity: string }[]; errorCount: number };
    expect(report.diagnostics.map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}`)).toEqual([
      'NET6001 warning netc.yaml:2',
      'NET2002 error bad.net:4',
    ]);
    expect(report.errorCount).toBe(1);
  });

  it('cannot demote an error to a warning either (by rule name)', async () => {
    const dir = project({ 'netc.yaml': 'rules: { spatial-mismatch: warning }\n', 'bad.net': SHAPE_ERROR });
    const r = await netc(['check', 'bad.net'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning[NET6001]: netc.yaml sets spatial-mismatch to warning, but NET2002 is an error');
    expect(r.stderr).toContain('error[NET2002]');
  });

  it('turns a warning off and makes one an error, for check and build alike', async () => {
    const off = project({ 'netc.yaml': 'rules: { unused-value: off }\n', 'u.net': UNUSED });
    const checkOff = await netc(['check', 'u.net'], { cwd: off });
    expect(checkOff.stderr).toContain('0 errors, 0 warnings');
    const strict = project({ 'netc.yaml': 'rules: { unused-value: error }\n', 'u.net': UNUSED });
    const checkStrict = await netc(['check', 'u.net'], { cwd: strict });
    expect(checkStrict.code).toBe(1);
    // build stops where check fails, before it looks for weights.
    const build = await netc(['build', 'u.net', '-o', 'out'], { cwd: strict });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('error[NET1008]: spare is never used');
    expect(build.stderr).not.toContain('--weights');
    writeFileSync(join(strict, 'x.npy'), writeNpy({ shape: [1, 3, 8, 8], data: new Float32Array(192) }));
    const run = await netc(['run', 'u.net', '--input', 'x.npy', '--random-weights', '1'], { cwd: strict });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error[NET1008]');
  });

  it('applies to the language server', () => {
    const dir = project({ 'netc.yaml': 'rules: { unused-value: off, NET2002: off }\n', 'u.net': UNUSED, 'bad.net': SHAPE_ERROR });
    const ws = new Workspace();
    expect(ws.analyze(join(dir, 'u.net'))!.check.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    expect(ws.analyze(join(dir, 'bad.net'))!.check.diagnostics.map((d) => `${d.code} ${d.severity}`)).toContain('NET2002 error');
  });
});
