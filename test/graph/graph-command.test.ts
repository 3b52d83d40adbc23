import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { netc } from '../support/cli.ts';
import { ROOT } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'netc-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netc graph', () => {
  it('writes SVG to a file, the format chosen by default', async () => {
    const out = join(dir, 'googlenet.svg');
    const r = await netc(['graph', 'examples/googlenet.net', '-o', out], { cwd: ROOT });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const svg = readFileSync(out, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('inception4a');
  });

  it('prints DOT and Mermaid, chosen by --format or by the output extension', async () => {
    const dot = await netc(['graph', 'test/fixtures/models/inception_3a.net', '--format', 'dot'], { cwd: ROOT });
    expect(dot.code).toBe(0);
    expect(dot.stdout).toMatch(/^digraph "Inception3a" \{/);
    const mmd = join(dir, 'x.mmd');
    expect((await netc(['graph', 'test/fixtures/models/inception_3a.net', '-o', mmd], { cwd: ROOT })).code).toBe(0);
    expect(readFileSync(mmd, 'utf8')).toMatch(/^flowchart TB/);
  });

  it('--depth and --optimized change what is drawn', async () => {
    const shallow = await netc(['graph', 'examples/resnet50.net', '--format', 'dot', '--depth', '0'], { cwd: ROOT });
    const deep = await netc(['graph', 'examples/resnet50.net', '--format', 'dot', '--depth', '1'], { cwd: ROOT });
    expect(shallow.stdout).toContain('Bottleneck');
    expect(deep.stdout).toContain('"0: Bottleneck"');
    expect(deep.stdout.length).toBeGreaterThan(shallow.stdout.length * 3);
    const opt = await netc(['graph', 'examples/resnet50.net', '--format', 'dot', '--depth', '1', '--optimized'], { cwd: ROOT });
    expect(opt.code).toBe(0);
    expect(opt.stdout).toContain('epilogue: + residual, relu');
  });

  it('--bind gives sizes to symbolic dimensions', async () => {
    const file = join(dir, 'sym.net');
    writeFileSync(file, 'network S {\n  in x: [N, 3, H, W]\n  out y = x |> conv(4, k=3, pad=1) |> relu\n}\n');
    const sym = await netc(['graph', file, '--format', 'dot'], { cwd: dir });
    expect(sym.stdout).toContain('[N, 3, H, W]');
    const bound = await netc(['graph', file, '--format', 'dot', '--bind', 'N=1,H=8,W=8', '--optimized'], { cwd: dir });
    expect(bound.code).toBe(0);
    expect(bound.stdout).toContain('[1, 4, 8, 8]');
    const unbound = await netc(['graph', file, '--optimized'], { cwd: dir });
    expect(unbound.code).toBe(1);
    expect(unbound.stderr).toContain('NET2106');
  });

  it('reports check errors with exit 1 and usage errors with exit 2', async () => {
    const bad = join(dir, 'bad.net');
    writeFileSync(bad, 'network B {\n  in x: [1, 3, 8, 8]\n  out y = x |> nosuchop\n}\n');
    const r = await netc(['graph', bad], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[NET1\d{3}\]/);
    expect(r.stdout).toBe('');
    expect((await netc(['graph'], { cwd: dir })).code).toBe(2);
    expect((await netc(['graph', bad, '--format', 'png'], { cwd: dir })).code).toBe(2);
    expect((await netc(['graph', bad, '--depth', '-1'], { cwd: dir })).code).toBe(2);
    expect((await netc(['graph', join(dir, 'missing.net')], { cwd: dir })).code).toBe(2);
  });
});
