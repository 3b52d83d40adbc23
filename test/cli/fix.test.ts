/**
 * Structured fixes end to end: `netc check --fix` on copies of broken files in a temporary
 * directory, the `fixes` of the JSON and SARIF reports, and `netc explain`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netc, project as makeProject } from '../support/cli.ts';

const project = (files: Record<string, string>): string => makeProject(files, 'netc-fix-');

// Three mistakes whose fix is a value: output_pad after a relu, a window without padding, a
// linear layer over a pooled [N, C, 1, 1]; and a misspelt activation, whose fix is a guess.
const UP = `network Up {
  in x: [1, 4, 8, 8]
  d = x |> conv(8, k=3, stride=2, pad=1)
  u = d |> conv_transpose(4, k=3, stride=2, pad=1) |> relu
  out y = concat(u, x, axis=1)
}
`;
const SMALL = `network Small {
  in x: [1, 3, 4, 4]
  out y = x |> conv(8, k=7)
}
`;
const HEAD = `network Head {
  in x: [1, 512, 7, 7]
  out y = x |> global_avgpool |> linear(1000)
}
`;
const TYPO = `network Typo {
  in x: [1, 3, 8, 8]
  out y = x |> conv(8, k=3) |> rleu
}
`;

describe('netc check --fix', () => {
  it('applies the fixes whose value is certain, then reports what is left', async () => {
    const dir = project({ 'up.net': UP, 'small.net': SMALL, 'head.net': HEAD, 'typo.net': TYPO });
    const r = await netc(['check', '--fix', 'up.net', 'small.net', 'head.net', 'typo.net'], { cwd: dir });
    expect(readFileSync(join(dir, 'up.net'), 'utf8')).toBe(UP.replace('pad=1) |> relu', 'pad=1, output_pad=1) |> relu'));
    expect(readFileSync(join(dir, 'small.net'), 'utf8')).toBe(SMALL.replace('k=7)', 'k=7, pad=2)'));
    expect(readFileSync(join(dir, 'head.net'), 'utf8')).toBe(HEAD.replace('|> linear', '|> flatten |> linear'));
    // A similar spelling is offered, not applied.
    expect(readFileSync(join(dir, 'typo.net'), 'utf8')).toBe(TYPO);
    expect(r.stderr).toContain('fixed 1 problem in up.net');
    expect(r.stderr).toContain('fixed 1 problem in small.net');
    expect(r.stderr).toContain('error[NET1002]: unknown operator or block rleu');
    expect(r.stderr).toContain('checked 4 files: 1 error, 0 warnings');
    expect(r.code).toBe(1);
    // The fixed files check clean.
    const again = await netc(['check', 'up.net', 'small.net', 'head.net'], { cwd: dir });
    expect(again.code).toBe(0);
  });

  it('changes nothing without --fix, and shows the fixed line under the help', async () => {
    const dir = project({ 'up.net': UP });
    const r = await netc(['check', 'up.net'], { cwd: dir });
    expect(readFileSync(join(dir, 'up.net'), 'utf8')).toBe(UP);
    expect(r.stderr).toContain('= help: set output_pad=1 on the conv_transpose');
    expect(r.stderr).toContain('4 |   u = d |> conv_transpose(4, k=3, stride=2, pad=1, output_pad=1) |> relu');
    expect(r.stderr).toMatch(/\n\s+\| {50}\+{14}\n/);
    expect(r.stderr).not.toContain(dir);
  });
});

describe('fixes in reports', () => {
  it('json: each fix with its edits, positions 1-based, file relative', async () => {
    const dir = project({ 'up.net': UP, 'typo.net': TYPO });
    const r = await netc(['check', '--format', 'json', 'up.net', 'typo.net'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    const [typo, up] = report.diagnostics;
    expect(up.fixes).toEqual([{
      message: 'set output_pad=1', machineApplicable: true,
      edits: [{ file: 'up.net', line: 4, column: 50, endLine: 4, endColumn: 50, text: ', output_pad=1' }],
    }]);
    expect(typo.fixes).toEqual([{
      message: 'replace rleu with relu', machineApplicable: false,
      edits: [{ file: 'typo.net', line: 3, column: 32, endLine: 3, endColumn: 36, text: 'relu' }],
    }]);
    expect(up.help).not.toContain(dir);
  });

  it('sarif: fixes as artifact changes; rules described in sentences', async () => {
    const dir = project({ 'small.net': SMALL });
    const r = await netc(['check', '--format', 'sarif', 'small.net'], { cwd: dir });
    const run = JSON.parse(r.stdout).runs[0];
    const result = run.results[0];
    expect(result.fixes[0]).toEqual({
      description: { text: 'set pad=2' },
      artifactChanges: [{
        artifactLocation: { uri: 'small.net' },
        replacements: [{ deletedRegion: { startLine: 3, startColumn: 27, endLine: 3, endColumn: 27 }, insertedContent: { text: ', pad=2' } }],
      }],
    });
    const rule = run.tool.driver.rules[0];
    expect(rule.id).toBe('NET2006');
    expect(rule.fullDescription.text).toMatch(/^The window does not fit: .*\.$/);
    expect(rule.shortDescription.text).toMatch(/^The window does not fit: .*\.$/);
    expect(rule.help.text).toContain('```net');
    for (const text of [rule.fullDescription.text, rule.shortDescription.text]) expect(text).not.toMatch(/[{}]/);
  });
});

describe('paths in messages', () => {
  it('are relative to the working directory in every format', async () => {
    const dir = project({ 'a.net': 'const K = 3\nnetwork N {\n  in x: [1, 3, 8, 8]\n  K = x |> relu\n  out y = K\n}\n' });
    for (const format of ['human', 'json', 'github', 'sarif']) {
      const r = await netc(['check', '--format', format, 'a.net'], { cwd: dir });
      const text = r.stdout + r.stderr;
      expect(text).toContain('K shadows the constant declared at a.net:1:7');
      expect(text).not.toContain(dir);
    }
  });
});

describe('netc explain', () => {
  it('prints the catalogue entry and the documented example', async () => {
    const r = await netc(['explain', 'NET2002']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NET2002 spatial-mismatch \(error\)\n/);
    expect(r.stdout).toContain('message: {op} needs the same spatial size in every operand, got {got}');
    expect(r.stdout).toContain('```net\nnetwork Bad {');
    expect((await netc(['explain', 'linear-over-spatial'])).stdout).toMatch(/^NET2016 linear-over-spatial \(warning\)/);
  });

  it('refuses an unknown code with the closest one', async () => {
    const r = await netc(['explain', 'spatial-mismach']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean spatial-mismatch?');
    expect((await netc(['explain'])).code).toBe(2);
  });
});
