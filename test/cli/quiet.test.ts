/** Quiet success: clean files print one line; one diagnostic per unbound input; one unit system. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netc } from '../support/cli.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netc-quiet-'));
  writeFileSync(join(dir, 'free.net'), 'network Free {\n  in x: f32[N, 3, H, W]\n  out y = x |> c: conv(4, k=3, pad=1) |> maxpool(k=2)\n}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('netc check on clean files', () => {
  it('prints one summary line; the notes on free sizes are counted, not shown', async () => {
    const r = await netc(['check', 'examples/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('checked 6 files: 0 errors, 0 warnings (6 notes: --verbose shows them)\n');
  });

  it('--verbose shows the notes', async () => {
    const r = await netc(['check', '--verbose', 'examples/unet3d.net']);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/note\[NET2104\]/g)).toHaveLength(6);
    expect(r.stderr).toContain('D must be divisible by 8');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe('checked 1 file: 0 errors, 0 warnings');
  });

  it('bindings check the requirements instead', async () => {
    const r = await netc(['check', '--bind', 'D=12,H=16,W=16', 'examples/unet3d.net']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[NET2/);
  });
});

describe('unbound dimensions', () => {
  it('are one diagnostic per input declaration, naming every symbol', async () => {
    const r = await netc(['build', 'free.net', '--random-weights', '0', '-o', 'free.wasm'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.match(/error\[NET2106\]/g)).toHaveLength(1);
    expect(r.stderr).toContain('error[NET2106]: no value for dimensions N, H and W');
    expect(r.stderr).toContain('help: give them values: --bind N=...,H=...,W=...');
  });
});

describe('netc build --explain', () => {
  it('counts bytes in binary units only', async () => {
    const r = await netc(['build', 'free.net', '--bind', 'N=1,H=256,W=256', '--random-weights', '0', '--explain', '-o', 'free.wasm'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = r.stdout + r.stderr;
    expect(text).toMatch(/\d KiB/);
    expect(text).toMatch(/\d\.\d\d MiB/);
    expect(text).not.toMatch(/\d (MB|kB|KB)\b/);
  });
});
