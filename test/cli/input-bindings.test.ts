/** `--input` binds the dimension symbols an input's shape fixes: run, verify, summary, export. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpy, writeNpy } from '../../src/io/npy.ts';
import { netc } from '../support/cli.ts';

/** What the ONNX importer writes for a model with a free batch size. */
const BATCHED = `network Batched {
  in x: f32[N, 3, 8, 8]
  out y = x |> c1: conv(4, k=3, pad=1) |> relu |> global_avgpool
}
`;

function workspace(batch: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'netc-input-bind-'));
  writeFileSync(join(dir, 'batched.net'), BATCHED);
  const data = Float32Array.from({ length: batch * 3 * 64 }, (_, i) => Math.sin(i));
  writeFileSync(join(dir, 'x.npy'), writeNpy({ shape: [batch, 3, 8, 8], data }));
  return dir;
}

describe('sizes of dimension symbols from --input', () => {
  it('run: the input binds N, with no --bind', async () => {
    const dir = workspace(2);
    const r = await netc(['run', 'batched.net', '--input', 'x.npy', '--random-weights', '1', '-o', 'y.npy'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(readNpy(new Uint8Array(readFileSync(join(dir, 'y.npy'))), 'y.npy').shape).toEqual([2, 4, 1, 1]);
    // Without the input, N has no value.
    const bare = await netc(['summary', 'batched.net'], { cwd: dir });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/NET2106/);
  });

  it('run: a --bind that disagrees with the input is NET3007, one that agrees is fine', async () => {
    const dir = workspace(2);
    const conflict = await netc(['run', 'batched.net', '--input', 'x.npy', '--random-weights', '1', '--bind', 'N=1'], { cwd: dir });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('error[NET3007]: input x has size 2 where it is declared N, but N is 1 from --bind');
    expect(conflict.stderr).toContain('batched.net:2:13');
    const agree = await netc(['run', 'batched.net', '--input', 'x.npy', '--random-weights', '1', '--bind', 'N=2'], { cwd: dir });
    expect(agree.code, agree.stderr).toBe(0);
    expect(agree.stdout).toMatch(/^y \[2, 4, 1, 1\]/);
  });

  it('summary and export: shapes from the input', async () => {
    const dir = workspace(3);
    const s = await netc(['summary', 'batched.net', '--input', 'x.npy', '--json'], { cwd: dir });
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout).inputs).toEqual([{ name: 'x', shape: [3, 3, 8, 8] }]);
    const e = await netc(['export', 'batched.net', '--input', 'x.npy', '--random-weights', '0', '-o', 'm.onnx'], { cwd: dir });
    expect(e.code, e.stderr).toBe(0);
    expect(readFileSync(join(dir, 'm.onnx')).length).toBeGreaterThan(0);
  });

  it('verify: compares on the given input, whose shape binds N', async () => {
    const dir = workspace(2);
    const r = await netc(['verify', 'batched.net', '--input', 'x.npy'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^run 1: y \[2, 4, 1, 1\] relative L2/);
    expect(r.stdout).not.toMatch(/run 2/);
  });
});
