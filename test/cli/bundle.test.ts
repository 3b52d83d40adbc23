/**
 * The bundled CLI (what `bin/netc.js` runs): built into a temporary folder,
 * run as a separate process, it checks the examples and reads netc.yaml. It resolves its
 * packages from this checkout's node_modules, so the folder sits inside the checkout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../scripts/build.ts';

const out = mkdtempSync(join(resolve('node_modules'), '.netc-bundle-test-'));

beforeAll(async () => {
  await buildBundle(out);
  writeFileSync(join(out, 'run.mjs'), "const m = await import('./netc.mjs'); process.exitCode = await m.runCli(process.argv.slice(2));\n");
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[], cwd = process.cwd()) {
  return spawnSync(process.execPath, [join(out, 'run.mjs'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('bundled CLI', () => {
  it('checks the examples clean with the standard library found next to it', () => {
    const r = run(['check', 'examples/']);
    expect(r.stderr).toMatch(/0 errors/);
    expect(r.status).toBe(0);
  });
  it('reads netc.yaml (bundled yaml) and reports errors with exit 1', () => {
    const dir = mkdtempSync(join(out, 'proj-'));
    writeFileSync(join(dir, 'netc.yaml'), 'bind: { H: 31 }\n');
    writeFileSync(join(dir, 'a.net'), 'network A {\n  in x: f32[1, 3, H, H]\n  out y = x |> maxpool(k=2) |> upsample(scale=2) |> add(x)\n}\n');
    const r = run(['check', 'a.net'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NET2\d{3}/);
  });
  it('loads the build command lazily and builds a module', () => {
    const dir = mkdtempSync(join(out, 'proj-'));
    writeFileSync(join(dir, 'b.net'), 'network B {\n  in x: f32[1, 2, 4, 4]\n  out y = x |> conv(3, k=1) |> relu\n}\n');
    const r = run(['build', 'b.net', '--random-weights', '1'], dir);
    expect(r.stderr).toMatch(/wrote b\.wasm/);
    expect(r.status).toBe(0);
  });
});
