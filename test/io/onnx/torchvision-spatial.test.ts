/**
 * Real torchvision exports that need the spatial operators (3-D convs and pools, batch norm
 * kept as BatchNormalization nodes, pads, resizes): each is imported, must import without
 * errors, and runs through the interpreter and through Wasm (optimised graph) against the
 * fixture's PyTorch float64 output, within max(1e-5, 3x PyTorch's own float32 error) as the
 * manifest says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { relativeL2 } from '../../../src/ir/tensor.ts';
import { optimize } from '../../../src/passes/pipeline.ts';
import { runWasm } from '../../wasm/harness.ts';

interface ManifestModel { name: string; onnx: string; io: string; float32_vs_float64_rel_l2: number }
const dir = new URL('../../fixtures/torchvision/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as { models: ManifestModel[] };

const MODELS = ['r3d_18', 'mc3_18', 'r2plus1d_18', 'resnet18_bn', 'mobilenet_v2_bn', 'vgg11_bn', 'densenet', 'densenet_bn', 'fcn_resnet50', 'deeplabv3_resnet50'];

describe('torchvision exports with spatial operators, interpreter and Wasm against PyTorch', () => {
  for (const name of MODELS) {
    it(name, async () => {
      const m = manifest.models.find((x) => x.name === name)!;
      const r = importOnnx(new Uint8Array(readFileSync(new URL(m.onnx, dir))), { file: m.onnx });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const io = readSafetensors(new Uint8Array(readFileSync(new URL(m.io, dir))), m.io);
      const input = io.get('input')!;
      const ref = io.get('output')!;
      const tolerance = Math.max(1e-5, 3 * m.float32_vs_float64_rel_l2);
      const interp = [...runGraph(r.graph!, r.weights!, [input]).values()][0]!;
      expect(interp.shape).toEqual(ref.shape);
      const interpErr = relativeL2(interp.data, ref.data);
      const opt = optimize(r.graph!, r.weights!);
      const wasm = [...(await runWasm(opt.graph, opt.weights, [input])).outputs.values()][0]!;
      const wasmErr = relativeL2(wasm.data, ref.data);
      console.log(`${name}: interpreter ${interpErr.toExponential(2)}, wasm ${wasmErr.toExponential(2)} (tolerance ${tolerance.toExponential(2)})`);
      expect(interpErr).toBeLessThan(tolerance);
      expect(wasmErr).toBeLessThan(tolerance);
    }, 120_000);
  }
});
