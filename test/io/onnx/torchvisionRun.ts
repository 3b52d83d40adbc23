/**
 * One torchvision export (test/fixtures/torchvision) taken the way a user takes it: imported
 * to `.net` source and weights, the source checked as a file, bound to the fixture's input
 * (dimension symbols sized by it), run on the interpreter and on Wasm, and compared with
 * PyTorch's float64 output. Shared by the table-driven test and scripts/torchvision-table.ts.
 */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../../src/diag/diagnostic.ts';
import { formatSource } from '../../../src/fmt/format.ts';
import { memoryHost } from '../../../src/check/host.ts';
import { runFrontend, type FrontendResult } from '../../../src/frontend/frontend.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { importOnnx, type ImportOnnxResult } from '../../../src/io/onnx/import.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import type { Tensor } from '../../../src/ir/tensor.ts';
import { runWasm } from '../../wasm/harness.ts';

export const fixtureDir = new URL('../../fixtures/torchvision/', import.meta.url);
export const readFixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, fixtureDir)));

export interface ManifestEntry {
  name: string;
  onnx: string;
  io: string;
  state_dict?: string;
  variant_of?: string;
  input_shape: number[];
  output_shape: number[];
  float32_vs_float64_rel_l2: number;
  export: { dynamic_axes: Record<string, Record<string, string>> | null };
}

export const manifest = JSON.parse(new TextDecoder().decode(readFixture('manifest.json'))) as { models: ManifestEntry[] };

/** The manifest's rule: relative L2 to the float64 output at most max(1e-5, 3x PyTorch's own float32 error). */
export const toleranceOf = (m: ManifestEntry): number => Math.max(1e-5, 3 * m.float32_vs_float64_rel_l2);

/** The io file's float32 input and float64 output, read as stored (netc's reader widens to float32). */
export function fixtureIo(m: ManifestEntry): { input: Tensor; output: Float64Array } {
  const bytes = readFixture(m.io);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const at = (name: string) => {
    const [begin, end] = header[name]!.data_offsets;
    return bytes.slice(8 + headerLength + begin, 8 + headerLength + end).buffer;
  };
  if (header['output']?.dtype !== 'F64' || header['input']?.dtype !== 'F32') throw new Error(`${m.io}: expected an F32 input and an F64 output`);
  return { input: { shape: header['input'].shape, data: new Float32Array(at('input')) }, output: new Float64Array(at('output')) };
}

export function relL2(out: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (out.length !== ref.length) return Number.NaN;
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num += (out[i]! - ref[i]!) ** 2;
    den += ref[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** `times` copies of a batch-1 tensor stacked on the batch axis. */
function repeatBatch<T extends Float32Array | Float64Array>(data: T, times: number): T {
  const out = new (data.constructor as new (n: number) => T)(data.length * times);
  for (let k = 0; k < times; k++) out.set(data, k * data.length);
  return out;
}

const describeDiagnostics = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.code} ${d.message}`);

export interface ModelRun {
  entry: ManifestEntry;
  imported: ImportOnnxResult;
  /** `code message` of every import diagnostic. */
  importDiagnostics: string[];
  /** The source differs from `netc fmt`'s layout of it. */
  formatChanged: boolean;
  /** Every diagnostic of check, bind and weights (warnings included). */
  checkDiagnostics: string[];
  front?: FrontendResult;
  /** The batch the model ran with: 2 for a free batch symbol (the input twice), else the fixture's. */
  batch: number;
  /** Bindings read off the input. */
  bindings: Record<string, number>;
  lines: number;
}

/**
 * Import, format, check and bind one model. `_bn` variants with a `state_dict` file bind
 * that file's tensors, under PyTorch's names, with no weight map; the others the imported weights.
 */
export function importAndCheck(m: ManifestEntry): ModelRun {
  const imported = importOnnx(readFixture(m.onnx), { file: m.onnx });
  const run: ModelRun = {
    entry: m, imported, importDiagnostics: describeDiagnostics(imported.diagnostics), formatChanged: false,
    checkDiagnostics: [], batch: m.input_shape[0]!, bindings: {}, lines: 0,
  };
  if (imported.source === undefined) return run;
  const source = imported.source;
  run.lines = source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
  const formatted = formatSource(source, `${m.name}.net`);
  run.formatChanged = formatted.changed || formatted.unsafe !== undefined || formatted.diagnostics.length > 0;
  const { input } = fixtureIo(m);
  run.batch = (imported.symbols ?? []).length > 0 ? 2 : input.shape[0]!;
  const batched: Tensor = { shape: [run.batch, ...input.shape.slice(1)], data: repeatBatch(input.data, run.batch / input.shape[0]!) };
  const file = `${m.name}.net`;
  const front = runFrontend({
    file,
    host: memoryHost({ [file]: source }),
    inputs: (names) => new Map([[names[0]!, batched]]),
    weights: () => (m.state_dict
      ? { tensors: readSafetensors(readFixture(m.state_dict), m.state_dict), file: m.state_dict }
      : { tensors: imported.weights!, file: `${m.name}.safetensors` }),
  });
  run.front = front;
  run.checkDiagnostics = describeDiagnostics(front.diagnostics);
  run.bindings = Object.fromEntries(front.bindings ?? []);
  return run;
}

export interface Errors {
  interp: number;
  wasm: number;
}

/** Relative L2 of the interpreter (on the bound graph) and Wasm (on the optimised one) to PyTorch's float64 output. */
export async function numericErrors(run: ModelRun): Promise<Errors> {
  const front = run.front!;
  const { output } = fixtureIo(run.entry);
  const expected = repeatBatch(output, run.batch / run.entry.input_shape[0]!);
  const input = [...front.inputs!.values()][0]!;
  const interp = [...runGraph(front.graph!, front.weights!, [input]).values()][0]!;
  const opt = front.optimized!;
  const wasm = [...(await runWasm(opt.graph, opt.weights, [input])).outputs.values()][0]!;
  return { interp: relL2(interp.data, expected), wasm: relL2(wasm.data, expected) };
}
