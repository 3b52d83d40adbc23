/**
 * Every model of the torchvision manifest (test/fixtures/torchvision), the way a user takes it:
 * `netc import` without diagnostics, a `.net` source in `netc fmt`'s layout that checks with
 * no warning, bound to the fixture's input (a free batch symbol `N` sized by an input of batch
 * 2: the fixture's input twice), with weights as imported or, for the variants that come with
 * one, PyTorch's own `state_dict` file under its names and no weight map; run on the
 * interpreter and, optimised, on Wasm within the manifest's tolerance of PyTorch's float64
 * output. Then exported back to ONNX: the same weight names come back on import, and
 * onnxruntime runs the export within the same tolerance.
 *
 * KNOWN_FAILURES lists models that do not pass yet, with the reason; the test checks that
 * they still fail, so a fix has to remove its entry. EXPECTED_IMPORT_DIAGNOSTICS lists the
 * import diagnostics a model is expected to give (the same holds: no more, no fewer).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../src/io/onnx/export.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { runOrt, weightSignature } from './helpers.ts';
import { fixtureIo, importAndCheck, relL2, manifest, numericErrors, readFixture, toleranceOf, type Errors, type ModelRun } from './torchvisionRun.ts';

/** Models that do not pass yet: name -> why. Empty when every model passes. */
const KNOWN_FAILURES: Record<string, string> = {};

/**
 * Import diagnostics some models give by design: RegNet's module names hold hyphens
 * (`trunk_output.block1.block1-0`), which no label spells, so those weights are renamed and
 * a weight map from PyTorch's names comes with the source (NET5014, a warning).
 */
const EXPECTED_IMPORT_DIAGNOSTICS: Record<string, string[]> = {
  regnet_x: ['NET5014'],
  regnet_y: ['NET5014'],
};

interface Row {
  model: string;
  errors?: Errors;
  tolerance: number;
  lines: number;
  ok: boolean;
}
const rows: Row[] = [];

/** Everything wrong with one model, as sentences; empty when it passes. */
async function problemsOf(run: ModelRun): Promise<{ problems: string[]; errors?: Errors }> {
  const m = run.entry;
  const problems: string[] = [];
  const codes = run.imported.diagnostics.map((d) => d.code);
  const expectedCodes = EXPECTED_IMPORT_DIAGNOSTICS[m.name] ?? [];
  if (codes.join() !== expectedCodes.join()) problems.push(`import diagnostics: ${run.importDiagnostics.join('; ') || 'none'}; expected ${expectedCodes.join(', ') || 'none'}`);
  if (run.imported.source === undefined) return { problems: [...problems, 'no .net source'] };
  if (run.formatChanged) problems.push('the source is not in netc fmt layout');
  if (run.checkDiagnostics.length > 0) problems.push(`check, bind and weights: ${run.checkDiagnostics.join('; ')}`);
  if (m.export.dynamic_axes) {
    if (!(run.imported.symbols ?? []).includes('N') || !/in input: f32\[N, /.test(run.imported.source)) problems.push('the dynamic batch is not the symbol N');
    if (run.bindings['N'] !== 2) problems.push(`N is not taken from the input (bindings ${JSON.stringify(run.bindings)})`);
  }
  if (m.state_dict && run.front?.weights) {
    // PyTorch's float tensors, each bound under its own name (num_batches_tracked, I64, skipped).
    const stateNames = [...readSafetensors(readFixture(m.state_dict), m.state_dict).keys()].sort();
    if (stateNames.join() !== [...run.front.weights.keys()].sort().join()) problems.push('the state_dict names are not the weight names of the source');
  }
  if (!run.front?.optimized) return { problems: [...problems, `stopped at ${run.front?.failed ?? 'import'}`] };
  const errors = await numericErrors(run);
  const tolerance = toleranceOf(m);
  if (!(errors.interp <= tolerance)) problems.push(`interpreter relative L2 ${errors.interp.toExponential(2)} over ${tolerance.toExponential(2)}`);
  if (!(errors.wasm <= tolerance)) problems.push(`Wasm relative L2 ${errors.wasm.toExponential(2)} over ${tolerance.toExponential(2)}`);
  return { problems, errors };
}

const runs = new Map<string, ModelRun>();
/** Each model imported and checked once for both suites. */
function runOf(name: string): ModelRun {
  let run = runs.get(name);
  if (!run) {
    run = importAndCheck(manifest.models.find((m) => m.name === name)!);
    runs.set(name, run);
  }
  return run;
}

describe('torchvision models: import, format, check, interpreter and Wasm against PyTorch float64', () => {
  it('lists only models of the manifest as known failures or expected diagnostics', () => {
    const names = new Set(manifest.models.map((m) => m.name));
    expect([...Object.keys(KNOWN_FAILURES), ...Object.keys(EXPECTED_IMPORT_DIAGNOSTICS)].filter((n) => !names.has(n))).toEqual([]);
  });

  for (const m of manifest.models) {
    const known = KNOWN_FAILURES[m.name];
    it(known ? `${m.name} (known failure: ${known})` : m.name, async () => {
      const run = runOf(m.name);
      const { problems, errors } = await problemsOf(run);
      rows.push({ model: m.name, errors, tolerance: toleranceOf(m), lines: run.lines, ok: problems.length === 0 });
      if (known) expect(problems, `${m.name} passes now: remove it from KNOWN_FAILURES`).not.toEqual([]);
      else expect(problems).toEqual([]);
    }, 120_000);
  }

  afterAll(() => {
    const e = (x: number | undefined) => (x === undefined ? '-' : x.toExponential(2));
    const lines = [
      '| model | interpreter rel L2 | Wasm rel L2 | tolerance | .net lines | |',
      '|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.model} | ${e(r.errors?.interp)} | ${e(r.errors?.wasm)} | ${e(r.tolerance)} | ${r.lines} | ${r.ok ? 'ok' : 'FAIL'} |`),
    ];
    console.log(lines.join('\n'));
  });
});

describe('torchvision models exported back to ONNX', () => {
  for (const m of manifest.models.filter((x) => !KNOWN_FAILURES[x.name])) {
    it(`${m.name}: the same weight names come back, and onnxruntime runs it within the tolerance of PyTorch float64`, async () => {
      const { front, batch } = runOf(m.name);
      const [graph, weights] = [front!.graph!, front!.weights!];
      const bytes = exportOnnx(graph, weights);
      const back = importOnnx(bytes, { file: `${m.name}.onnx` });
      expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(weightSignature(back.graph!)).toEqual(weightSignature(graph));
      if (m.state_dict) expect(new Set(back.weights!.keys())).toEqual(new Set(readSafetensors(readFixture(m.state_dict), m.state_dict).keys()));
      const input = front!.inputs!.get(graph.inputs[0]!.name)!;
      const ort = [...(await runOrt(bytes, { [graph.inputs[0]!.name]: input })).values()][0]!;
      expect(ort.shape).toEqual([batch, ...m.output_shape.slice(1)]);
      // The same standard as the interpreter's and Wasm's: max(1e-5, 3x PyTorch's own float32 error).
      const expected = fixtureIo(m).output;
      const err = relL2(ort.data, Float64Array.from({ length: ort.data.length }, (_, i) => expected[i % expected.length]!));
      expect(err).toBeLessThanOrEqual(toleranceOf(m));
    }, 120_000);
  }
});
