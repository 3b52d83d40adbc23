/**
 * `netc check` end to end (in-process): exit codes, the four output formats, netc.yaml,
 * bindings and --max-warnings.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netc, project as makeProject } from '../support/cli.ts';

const project = (files: Record<string, string>): string => makeProject(files, 'netc-check-');

const GOOD = `network Small {
  in x: f32[1, 3, 32, 32]
  out y = x |> conv(8, k=3, pad=1) |> relu
}
`;

// Line 4, column 13: the add of a 16-channel and an 8-channel tensor.
const BAD = `network Bad {
  in x: f32[1, 3, 32, 32]
  a = x |> conv(8, k=3, pad=1)
  out y = a + (x |> conv(16, k=3, pad=1))
}
`;

const UNUSED = `network Unused {
  in x: f32[1, 3, 8, 8]
  spare = x |> relu
  out y = x |> conv(4, k=1)
}
`;

describe('netc check', () => {
  it('checks every example clean (exit 0)', async () => {
    const r = await netc(['check', 'examples/']);
    expect(r.stderr).toMatch(/0 errors/);
    expect(r.code).toBe(0);
  });

  it('exits 1 on errors and prints a code frame', async () => {
    const dir = project({ 'bad.net': BAD });
    const r = await netc(['check', 'bad.net'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[NET2\d{3}\]/);
    expect(r.stderr).toMatch(/--> bad\.net:4:/);
    expect(r.stderr).toMatch(/\^+/);
  });

  it('exits 2 for a missing file or a bad option', async () => {
    expect((await netc(['check', 'does-not-exist.net'])).code).toBe(2);
    expect((await netc(['check', '--format', 'xml', 'examples/'])).code).toBe(2);
    expect((await netc(['check', '--bind', 'N=zero', 'examples/'])).code).toBe(2);
    expect((await netc(['check', '--no-such-flag'])).code).toBe(2);
  });

  it('prints the documented JSON document', async () => {
    const dir = project({ 'bad.net': BAD, 'good.net': GOOD });
    const r = await netc(['check', '--format', 'json', '.'], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.errorCount).toBeGreaterThan(0);
    expect(doc.warningCount).toBe(0);
    const d = doc.diagnostics[0];
    for (const key of ['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'related', 'notes', 'help']) {
      expect(d).toHaveProperty(key);
    }
    expect(d.file).toBe('bad.net');
    expect(d.line).toBe(4);
  });

  it('prints GitHub workflow commands', async () => {
    const dir = project({ 'bad.net': BAD });
    const r = await netc(['check', '--format', 'github', 'bad.net'], { cwd: dir });
    expect(r.stdout).toMatch(/^::error file=bad\.net,line=4,col=\d+,endLine=4,endColumn=\d+,title=NET2\d{3}::/m);
  });

  it('prints SARIF 2.1.0 with rules and regions', async () => {
    const dir = project({ 'bad.net': BAD });
    const r = await netc(['check', '--format', 'sarif', 'bad.net'], { cwd: dir });
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('netc');
    expect(run.tool.driver.rules.length).toBeGreaterThan(0);
    const res = run.results[0];
    expect(res.level).toBe('error');
    expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
    expect(res.locations[0].physicalLocation.artifactLocation.uri).toBe('bad.net');
    expect(res.locations[0].physicalLocation.region.startLine).toBe(4);
  });

  it('applies --max-warnings and netc.yaml rule settings', async () => {
    const dir = project({ 'u.net': UNUSED });
    const plain = await netc(['check', '--format', 'json', 'u.net'], { cwd: dir });
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout).warningCount).toBe(1);
    expect((await netc(['check', '--max-warnings', '0', 'u.net'], { cwd: dir })).code).toBe(1);
    const code = JSON.parse(plain.stdout).diagnostics[0].code;
    writeFileSync(join(dir, 'netc.yaml'), `rules:\n  ${code}: error\n`);
    expect((await netc(['check', 'u.net'], { cwd: dir })).code).toBe(1);
    writeFileSync(join(dir, 'netc.yaml'), `rules:\n  ${code}: off\n`);
    const off = await netc(['check', '--format', 'json', 'u.net'], { cwd: dir });
    expect(JSON.parse(off.stdout).warningCount).toBe(0);
  });

  it('finds netc.yaml upwards and uses its files and bindings', async () => {
    const dir = project({
      'netc.yaml': 'files: ["models/**/*.net"]\nbind: { H: 30 }\n',
      'models/down.net': `network Down {\n  in x: f32[1, 3, H, H]\n  out y = x |> maxpool(k=2) |> upsample(scale=2) |> add(x)\n}\n`,
      'sub/readme.txt': '',
    });
    const ok = await netc(['check'], { cwd: join(dir, 'sub') });
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, 'netc.yaml'), 'files: ["models/**/*.net"]\nbind: { H: 31 }\n');
    const odd = await netc(['check', '--format', 'json'], { cwd: join(dir, 'sub') });
    expect(odd.code).toBe(1);
  });

  it('rejects a malformed netc.yaml with exit 2', async () => {
    const dir = project({ 'netc.yaml': 'bind: { H: -3 }\n', 'a.net': GOOD });
    const r = await netc(['check', 'a.net'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bind\.H/);
  });
});

describe('progress on a terminal', () => {
  it('draws on a TTY and stays quiet when CI is set', async () => {
    const tty = await netc(['check', 'examples/'], { tty: true });
    expect(tty.stderr).toMatch(/\rchecking \d+\/6/);
    const ci = await netc(['check', 'examples/'], { tty: true, env: { CI: 'true' } });
    expect(ci.stderr).not.toMatch(/\rchecking/);
    const pipe = await netc(['check', 'examples/']);
    expect(pipe.stderr).not.toMatch(/\r/);
  });
});
