/**
 * The torchvision exports with a dynamic batch (`dim_param` N) through the command line, as a
 * user takes them: `netc import` writes `in input: f32[N, 3, 64, 64]` with no diagnostic,
 * `netc fmt --check` and `netc check` accept it, `netc run` (interpreter and Wasm) sizes N from
 * the input file with no `--bind`, and `netc export` writes N back as a `dim_param` that
 * onnxruntime runs at other batch sizes. Every output is compared with PyTorch's float64 output
 * within the manifest's tolerance (the fixture's input repeated along the batch).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onnx } from '../../src/io/onnx/proto.ts';
import { readSafetensors, writeSafetensors } from '../../src/io/safetensors.ts';
import { runOrt } from '../io/onnx/helpers.ts';
import { fixtureIo, manifest, readFixture, relL2, toleranceOf } from '../io/onnx/torchvisionRun.ts';
import { netc } from '../support/cli.ts';

/** `data` repeated `times` times (a batch of copies). */
const repeat = (data: ArrayLike<number>, times: number) => Float64Array.from({ length: data.length * times }, (_, i) => data[i % data.length]!);

describe('dynamic-batch torchvision exports through netc import, run and export', () => {
  for (const m of manifest.models.filter((x) => x.export.dynamic_axes)) {
    it(m.name, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'netc-dynamic-'));
      writeFileSync(join(dir, 'model.onnx'), readFixture(m.onnx));
      const imported = await netc(['import', 'model.onnx'], { cwd: dir });
      expect(imported.code).toBe(0);
      expect(imported.stderr).not.toMatch(/warning|error/);
      expect(readFileSync(join(dir, 'model.net'), 'utf8')).toContain('in input: f32[N, 3, 64, 64]');
      expect((await netc(['fmt', '--check', 'model.net'], { cwd: dir })).code).toBe(0);
      const check = await netc(['check', 'model.net'], { cwd: dir });
      expect(check.stdout + check.stderr).toContain('0 errors, 0 warnings');

      const { input, output } = fixtureIo(m);
      const tolerance = toleranceOf(m);
      writeFileSync(join(dir, 'x.safetensors'), writeSafetensors({ input: { shape: [2, ...input.shape.slice(1)], data: Float32Array.from(repeat(input.data, 2)) } }));
      for (const backend of ['interp', 'wasm']) {
        const run = await netc(['run', 'model.net', '--weights', 'model.safetensors', '--input', 'x.safetensors', '--backend', backend, '-o', `y-${backend}.safetensors`], { cwd: dir });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        const y = [...readSafetensors(readFileSync(join(dir, `y-${backend}.safetensors`)), 'y').values()][0]!;
        expect(y.shape).toEqual([2, ...m.output_shape.slice(1)]);
        expect(relL2(y.data, repeat(output, 2))).toBeLessThanOrEqual(tolerance);
      }

      const exported = await netc(['export', 'model.net', '--weights', 'model.safetensors', '-o', 'back.onnx'], { cwd: dir });
      expect(exported.code).toBe(0);
      const bytes = readFileSync(join(dir, 'back.onnx'));
      const decoded = onnx.ModelProto.decode(bytes);
      expect(decoded.graph!.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('N');
      for (const batch of [1, 3]) {
        const x = { shape: [batch, ...input.shape.slice(1)], data: Float32Array.from(repeat(input.data, batch)) };
        const y = [...(await runOrt(bytes, { input: x })).values()][0]!;
        expect(y.shape).toEqual([batch, ...m.output_shape.slice(1)]);
        expect(relL2(y.data, repeat(output, batch))).toBeLessThanOrEqual(tolerance);
      }
    }, 120_000);
  }
});
