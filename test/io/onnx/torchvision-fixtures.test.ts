/**
 * The torchvision fixtures (made by scripts/export_torchvision.py) agree with their manifest:
 * every listed file exists and nothing unlisted lies beside them, the io tensors have the
 * recorded dtypes and shapes, the op counts are the ONNX graphs', the batch-norm variants keep
 * the state_dict names, onnxruntime reproduces the float64 output, and the folder fits its budget.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { readOnnx } from '../../../src/io/onnx/read.ts';

const dir = new URL('../../fixtures/torchvision/', import.meta.url);
const read = (name: string): Uint8Array => readFileSync(new URL(name, dir));
const BUDGET_BYTES = 10 * 1024 * 1024;

interface Entry {
  name: string;
  onnx: string;
  io: string;
  state_dict?: string;
  variant_of?: string;
  input_shape: number[];
  output_shape: number[];
  opset: number;
  float32_vs_float64_rel_l2: number;
  export: { do_constant_folding: boolean; training: string; dynamic_axes: Record<string, Record<string, string>> | null };
  onnx_input_dims: (number | string)[][];
  op_types: Record<string, number>;
}

const manifest = JSON.parse(new TextDecoder().decode(read('manifest.json'))) as { models: Entry[] };

interface Stored {
  dtype: string;
  shape: number[];
  data: Uint8Array;
}

/** The safetensors layout read directly, so that dtypes are seen as stored (netc's reader widens to float32). */
function tensorsOf(bytes: Uint8Array): Map<string, Stored> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, any>;
  const start = 8 + headerLength;
  const out = new Map<string, Stored>();
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [begin, end] = t.data_offsets as [number, number];
    out.set(name, { dtype: t.dtype, shape: t.shape, data: new Uint8Array(bytes.subarray(start + begin, start + end)) });
  }
  return out;
}

const floats64 = (t: Stored) => new Float64Array(t.data.buffer, t.data.byteOffset, t.data.byteLength / 8);
const floats32 = (t: Stored) => new Float32Array(t.data.buffer, t.data.byteOffset, t.data.byteLength / 4);

function relL2(out: ArrayLike<number>, ref: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < ref.length; i++) {
    num += (out[i]! - ref[i]!) ** 2;
    den += ref[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe('torchvision fixtures', () => {
  it('lists every file of the folder, and only existing ones', () => {
    const listed = new Set(['README.md', 'manifest.json']);
    for (const m of manifest.models) [m.onnx, m.io, m.state_dict].forEach((f) => f && listed.add(f));
    expect(new Set(readdirSync(dir))).toEqual(listed);
  });

  it('stays within its size budget', () => {
    const total = readdirSync(dir).reduce((sum, f) => sum + statSync(new URL(f, dir)).size, 0);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it('covers opsets 11, 13 and 17, a dynamic batch and kept batch norms', () => {
    const count = (opset: number) => manifest.models.filter((m) => m.opset === opset && !m.variant_of).length;
    expect([count(11), count(13), count(17)].every((n) => n >= 3)).toBe(true);
    expect(manifest.models.filter((m) => m.export.dynamic_axes).length).toBeGreaterThanOrEqual(2);
    expect(manifest.models.filter((m) => m.state_dict).length).toBeGreaterThanOrEqual(3);
  });

  describe.each(manifest.models.map((m) => [m.name, m] as const))('%s', (_name, m) => {
    const io = tensorsOf(read(m.io));

    it('has io tensors of the recorded dtypes and shapes', () => {
      expect(io.get('input')).toMatchObject({ dtype: 'F32', shape: m.input_shape });
      expect(io.get('output')).toMatchObject({ dtype: 'F64', shape: m.output_shape });
      expect(io.get('output_f32')).toMatchObject({ dtype: 'F32', shape: m.output_shape });
    });

    it('records the op types, opset and input sizes of its ONNX graph', () => {
      const { model } = readOnnx(read(m.onnx), { file: m.onnx });
      const counts: Record<string, number> = {};
      for (const n of model!.nodes) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
      expect(counts).toEqual(m.op_types);
      expect(model!.opset).toBe(m.opset);
      const dynamic = m.export.dynamic_axes !== null;
      expect(m.onnx_input_dims).toEqual([dynamic ? ['N', ...m.input_shape.slice(1)] : m.input_shape]);
    });

    if (m.state_dict) {
      it('keeps the state_dict names and values as initializers', () => {
        const { model } = readOnnx(read(m.onnx), { file: m.onnx });
        const state = [...tensorsOf(read(m.state_dict!))].filter(([, t]) => t.dtype === 'F32');
        expect(state.length).toBeGreaterThan(0);
        for (const [k, t] of state) {
          const init = model!.initializers.get(k);
          expect(init?.dims, k).toEqual(t.shape);
          expect(init!.floats, k).toEqual(floats32(t));
        }
      });
    }

    it('reproduces the float64 output in onnxruntime', async () => {
      const session = await ort.InferenceSession.create(read(m.onnx));
      const input = io.get('input')!;
      const result = await session.run({ input: new ort.Tensor('float32', floats32(input).slice(), input.shape) });
      const out = result[session.outputNames[0]!]!;
      expect([...out.dims]).toEqual(m.output_shape);
      const err = relL2(out.data as Float32Array, floats64(io.get('output')!));
      expect(err).toBeLessThanOrEqual(Math.max(1e-5, 3 * m.float32_vs_float64_rel_l2));
    });
  });
});
