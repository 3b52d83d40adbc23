/**
 * Import the PyTorch-exported reference models, run them with the interpreter on the
 * reference inputs, and compare with PyTorch's float64 output. The generated `.net` source
 * must check back to the same graph: same weight names and shapes, node shapes and outputs.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/io/onnx/import.ts';
import { detTensor } from '../../../src/io/detTensor.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { runGraph } from '../../../src/interp/run.ts';
import { relativeL2 } from '../../../src/ir/tensor.ts';
import { cases, checkToGraph, paramCount, readRef, refDir, sortedNodeShapes, shapeSignature, weightSignature } from './helpers.ts';

const outputs = readSafetensors(readRef('model_outputs.safetensors'), 'model_outputs.safetensors');
const files = readdirSync(new URL('onnx/', refDir)).filter((f) => f.endsWith('.onnx')).sort();
const caseOf = (file: string) => Object.entries(cases).find(([, c]) => c.onnx?.file === file)!;

describe('importing the reference ONNX models', () => {
  it('finds the reference models', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  for (const file of files) {
    it(`${file}: imports and matches PyTorch under 1e-5`, () => {
      const [name, c] = caseOf(file);
      const r = importOnnx(readRef(`onnx/${file}`), { file });
      expect(r.diagnostics).toEqual([]);
      const input = detTensor(c.input.gen, c.input.shape, c.input.lo, c.input.hi);
      const out = runGraph(r.graph!, r.weights!, [input]);
      const y = [...out.values()][0]!;
      const ref = outputs.get(name)!;
      expect(y.shape).toEqual(ref.shape);
      const err = relativeL2(y.data, ref.data);
      console.log(`import ${file}: rel L2 vs PyTorch ${err.toExponential(2)}`);
      expect(err).toBeLessThan(1e-5);
      // Where the exporter kept PyTorch's weights (no batch norm folded away), the imported
      // graph has exactly PyTorch's names and parameter count.
      const keptNames = (c.weights as { name: string }[]).every((w) => r.weights!.has(w.name));
      if (keptNames) expect(paramCount(r.graph!)).toBe(c.params);
      else expect(file).toMatch(/bottleneck|convbn|unet2d/);
    });

    it(`${file}: the generated source checks to the same graph`, () => {
      const r = importOnnx(readRef(`onnx/${file}`), { file });
      expect(r.source).toBeDefined();
      const g = checkToGraph(r.source!, file.replace('.onnx', '.net'));
      expect(weightSignature(g)).toEqual(weightSignature(r.graph!));
      expect(shapeSignature(g)).toEqual(shapeSignature(r.graph!));
      expect(sortedNodeShapes(g)).toEqual(sortedNodeShapes(r.graph!));
    });
  }

  it('names layers after PyTorch modules', () => {
    const r = importOnnx(readRef('onnx/dcgan_generator_ngf16.onnx'), { file: 'dcgan.onnx' });
    expect([...r.weights!.keys()]).toContain('main.1.running_mean');
    expect(r.source).toContain('main: seq {');
    const b = importOnnx(readRef('onnx/bottleneck_s1.onnx'), { file: 'bottleneck.onnx' });
    // The exporter folded batch norm into the convs and named the initializers onnx::Conv_30:
    // the names come from the node scopes instead.
    expect([...b.weights!.keys()]).toContain('conv1._conv.weight');
  });

  it('names the layers of nested Sequentials as PyTorch does (unet2d: e1.0.0)', () => {
    const r = importOnnx(readRef('onnx/unet2d.onnx'), { file: 'unet2d.onnx' });
    expect(r.diagnostics).toEqual([]);
    // Batch norm is folded into the convs by the exporter: the convs keep their module names.
    expect([...r.weights!.keys()]).toEqual(expect.arrayContaining(['e1.0.0.weight', 'e1.1.0.bias', 'd1.1.0.weight', 'u2.weight', 'head.bias']));
    expect(r.source).toContain('e1: seq { ConvReLU(16) |> ConvReLU(16) }');
    expect(r.source).toContain('block ConvReLU(c: int) {');
  });
});
