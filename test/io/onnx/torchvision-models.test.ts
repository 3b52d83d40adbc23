/**
 * The torchvision exports (test/fixtures/torchvision) that import completely, end to end:
 * imported, the `.net` source written for them checked clean (when the names allow a source),
 * run on the interpreter and, optimised, on Wasm, each compared with PyTorch's float64 output
 * by relative L2: below 1e-5, or 3x PyTorch's own float32 error when that is larger.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkProgram } from '../../../src/check/check.ts';
import { memoryHost } from '../../../src/check/host.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { relativeL2 } from '../../../src/ir/tensor.ts';
import { optimize } from '../../../src/passes/pipeline.ts';
import { runWasm } from '../../wasm/harness.ts';

const dir = 'test/fixtures/torchvision/';
interface Entry { name: string; io: string; float32_vs_float64_rel_l2: number }
const manifest = JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')) as { models: Entry[] };
const entry = (name: string): Entry => manifest.models.find((m) => m.name === name)!;
// The families of this suite, and the others whose every operator netc imports so far
// (MnasNet's mean over H and W, EfficientNet's and RegNetY's squeeze-and-excitation scales).
const MODELS = [
  'alexnet', 'vgg11', 'vgg11_bn', 'squeezenet1_0', 'squeezenet1_1', 'resnet18', 'resnet18_bn', 'resnet50', 'googlenet',
  'mnasnet', 'efficientnet_b0', 'regnet_x', 'regnet_y', 'resnext50', 'wide_resnet50_2', 'mobilenet_v2', 'r3d_18', 'mc3_18', 'r2plus1d_18',
];
const figures: string[] = [];

describe('torchvision exports imported and run', () => {
  for (const name of MODELS) {
    it(name, async () => {
      const r = importOnnx(new Uint8Array(readFileSync(`${dir}${name}.onnx`)), { file: `${name}.onnx` });
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (r.source !== undefined) {
        const checked = checkProgram('model.net', memoryHost({ 'model.net': r.source }), { requireEntry: true });
        expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
      const { io: ioFile, float32_vs_float64_rel_l2: float32Error } = entry(name);
      const io = readSafetensors(new Uint8Array(readFileSync(`${dir}${ioFile}`)), ioFile);
      const [input, expected] = [io.get('input')!, io.get('output')!];
      const limit = Math.max(1e-5, 3 * float32Error);
      const interp = relativeL2([...runGraph(r.graph!, r.weights!, [input]).values()][0]!.data, expected.data);
      const opt = optimize(r.graph!, r.weights!);
      const wasm = relativeL2([...(await runWasm(opt.graph, opt.weights, [input])).outputs.values()][0]!.data, expected.data);
      figures.push(`${name.padEnd(16)} interpreter ${interp.toExponential(2)}  wasm ${wasm.toExponential(2)}  limit ${limit.toExponential(2)}${r.source === undefined ? '  (no .net source)' : ''}`);
      expect(interp).toBeLessThan(limit);
      expect(wasm).toBeLessThan(limit);
    }, 60_000);
  }

  it('prints the figures', () => {
    console.log(['relative L2 against PyTorch float64:', ...figures].join('\n'));
    expect(figures.length).toBe(MODELS.length);
  });
});
