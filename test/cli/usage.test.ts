/**
 * The command line's everyday paths: help per command, suggestions for misspellings, one
 * wording for file problems, empty inputs alike in every command, files of the wrong kind
 * named as such, and ONNX models accepted by `summary` and `graph`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../src/io/npy.ts';
import { netc } from '../support/cli.ts';

const ONNX = resolve('test/fixtures/reference/onnx/inception_3a.onnx');
const TINY = 'network Tiny {\n  in x: f32[1, 3, 8, 8]\n  out y = x |> c1: conv(4, k=3)\n}\n';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netc-usage-'));
  mkdirSync(join(dir, 'empty'));
  writeFileSync(join(dir, 'tiny.net'), TINY);
  writeFileSync(join(dir, 'x.npy'), writeNpy({ shape: [1, 3, 8, 8], data: new Float32Array(192) }));
  writeFileSync(join(dir, 'model.onnx'), readFileSync(ONNX));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inDir = (args: string[]) => netc(args, { cwd: dir });

describe('help', () => {
  it("'netc help CMD' and 'netc CMD --help' print that command's usage", async () => {
    const a = await inDir(['help', 'run']);
    const b = await inDir(['run', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/^Usage: netc run FILE/);
    expect(b).toEqual(a);
  });

  it('bare netc prints the general help on standard error and exits 2', async () => {
    const r = await inDir([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Usage: netc <command>/);
    expect((await inDir(['help'])).code).toBe(0);
  });
});

describe('did you mean', () => {
  it('suggests the closest command', async () => {
    const r = await inDir(['chek', 'tiny.net']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("netc: unknown command 'chek' (did you mean 'check'?). Run 'netc help' for the list.\n");
    expect((await inDir(['help', 'sumary'])).stderr).toContain("(did you mean 'summary'?)");
    expect((await inDir(['frobnicate'])).stderr).toBe("netc: unknown command 'frobnicate'. Run 'netc help' for the list.\n");
  });

  it('suggests the closest option of the command', async () => {
    const r = await inDir(['run', 'tiny.net', '--random-weight', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("netc run: unknown option '--random-weight' (did you mean '--random-weights'?)\n");
    expect((await inDir(['check', '--bnid', 'N=1', 'tiny.net'])).stderr).toContain("(did you mean '--bind'?)");
  });
});

describe('file problems', () => {
  it('a missing file reads the same in every command', async () => {
    const cases: [string[], string][] = [
      [['check', 'nope.net'], 'check'],
      [['fmt', 'nope.net'], 'fmt'],
      [['summary', 'nope.net'], 'summary'],
      [['graph', 'nope.net'], 'graph'],
      [['build', 'nope.net', '--random-weights', '0'], 'build'],
      [['run', 'nope.net', '--random-weights', '0', '--input', 'x.npy'], 'run'],
      [['verify', 'nope.net'], 'verify'],
      [['export', 'nope.net', '-o', 'm.onnx'], 'export'],
    ];
    for (const [args, name] of cases) {
      expect(await inDir(args), name).toEqual({ code: 2, stdout: '', stderr: `netc ${name}: cannot read nope.net: no such file\n` });
    }
    expect((await inDir(['import', 'nope.onnx'])).stderr).toBe('netc import: cannot read nope.onnx: no such file\n');
    expect((await inDir(['run', 'tiny.net', '--weights', 'nope.safetensors', '--input', 'x.npy'])).stderr).toBe(
      'netc run: cannot read nope.safetensors: no such file\n',
    );
  });

  it('a folder without .net files is a usage error for every command that takes folders', async () => {
    for (const name of ['check', 'fmt']) {
      expect(await inDir([name, 'empty']), name).toEqual({ code: 2, stdout: '', stderr: `netc ${name}: no .net files found in empty\n` });
    }
  });

  it('a file of the wrong kind is named as such', async () => {
    const weights = await inDir(['run', 'tiny.net', '--weights', 'x.npy', '--input', 'x.npy']);
    expect(weights.code).toBe(1);
    expect(weights.stderr).toContain('error[NET3016]: x.npy is an .npy array, not a safetensors file');
    const source = await inDir(['check', 'model.onnx']);
    expect(source.code).toBe(1);
    expect(source.stderr).toContain('error[NET3016]: model.onnx is an ONNX model, not a .net source');
    const onnx = await inDir(['import', 'tiny.net']);
    expect(onnx.code).toBe(1);
    expect(onnx.stderr).toContain('error[NET3016]: tiny.net is a .net source, not an ONNX model');
    expect((await inDir(['build', 'x.npy'])).stderr).toContain('x.npy is an .npy array, not a .net source');
  });
});

describe('ONNX models where a .net file is expected', () => {
  it('netc summary imports the model in memory', async () => {
    const r = await inDir(['summary', '--json', 'model.onnx']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    // The same counts as the .net source of inception_3a (test/cli/build.test.ts).
    expect(s.totals.params).toBe(163_696);
    expect(s.totals.macs).toBe(128_049_152);
  });

  it('netc graph draws the imported model', async () => {
    const r = await inDir(['graph', 'model.onnx', '--format', 'dot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph/);
    expect(r.stdout).toContain('[1, 256, 28, 28]');
  });
});
