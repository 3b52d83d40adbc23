import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { netc } from '../support/cli.ts';

const MESSY = 'network N{in x:[1,3,8,8]\n  out y=x|>conv(4,k = 3,pad=1)|>relu\n}';
const CLEAN = 'network N {\n  in x: [1, 3, 8, 8]\n  out y = x |> conv(4, k=3, pad=1) |> relu\n}\n';
const BROKEN = 'network N {\n  in x: [1, 3\n}\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netc-fmt-'));
  mkdirSync(join(dir, 'models'));
  writeFileSync(join(dir, 'models', 'messy.net'), MESSY);
  writeFileSync(join(dir, 'models', 'clean.net'), CLEAN);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('netc fmt', () => {
  it('--check lists files that would change, exits 1 and writes nothing', async () => {
    const r = await netc(['fmt', '--check', 'models'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${join('models', 'messy.net')}\n`);
    expect(r.stderr).toMatch(/1 file not formatted/);
    expect(readFileSync(join(dir, 'models', 'messy.net'), 'utf8')).toBe(MESSY);
  });

  it('rewrites files in place; a second run changes nothing and --check passes', async () => {
    const r = await netc(['fmt', 'models'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`formatted ${join('models', 'messy.net')}\n`);
    expect(readFileSync(join(dir, 'models', 'messy.net'), 'utf8')).toBe(CLEAN);
    expect((await netc(['fmt', 'models'], { cwd: dir })).stdout).toBe('');
    const check = await netc(['fmt', '--check', 'models/messy.net', 'models/clean.net'], { cwd: dir });
    expect(check).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports syntax errors, leaves the file untouched and exits 1', async () => {
    writeFileSync(join(dir, 'models', 'broken.net'), BROKEN);
    const r = await netc(['fmt', 'models'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[NET0\d{3}\]/);
    expect(r.stderr).toContain('broken.net:2:');
    expect(readFileSync(join(dir, 'models', 'broken.net'), 'utf8')).toBe(BROKEN);
    // The other files are still formatted.
    expect(readFileSync(join(dir, 'models', 'messy.net'), 'utf8')).toBe(CLEAN);
  });

  it('the shipped examples and standard library are formatted', async () => {
    expect(await netc(['fmt', '--check', 'examples', 'src/std'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('usage errors exit 2', async () => {
    expect((await netc(['fmt'], { cwd: dir })).code).toBe(2);
    expect((await netc(['fmt', 'missing.net'], { cwd: dir })).code).toBe(2);
    expect((await netc(['fmt', '--bogus', 'models'], { cwd: dir })).code).toBe(2);
  });
});
