/**
 * The torchvision models whose activations are hardswish, hardsigmoid and silu
 * (MobileNetV3 small and large: conv + bn + hardswish, squeeze-and-excitation with
 * hardsigmoid; EfficientNet-B0: conv + bn + silu, squeeze-and-excitation with sigmoid): the
 * real torch.onnx exports of test/fixtures/torchvision imported, then run by the interpreter,
 * by the interpreter after optimisation and by Wasm, against PyTorch's float64 output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/interp/run.ts';
import { importOnnx } from '../../src/io/onnx/import.ts';
import { readSafetensors } from '../../src/io/safetensors.ts';
import { relativeL2 } from '../../src/ir/tensor.ts';
import { optimize } from '../../src/passes/pipeline.ts';
import { runWasm } from '../wasm/harness.ts';

const dir = new URL('../fixtures/torchvision/', import.meta.url);

describe('torchvision models with the new activations, imported', () => {
  it.each([
    ['mobilenet_v3_small', ['hardswish', 'hardsigmoid']],
    ['mobilenet_v3_large', ['hardswish', 'hardsigmoid']],
    ['efficientnet_b0', ['silu']],
  ] as const)('%s', async (name, activations) => {
    const r = importOnnx(new Uint8Array(readFileSync(new URL(`${name}.onnx`, dir))), { file: `${name}.onnx` });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ops = new Set(r.graph!.nodes.map((n) => n.op));
    for (const a of activations) expect(ops.has(a), a).toBe(true);
    const io = readSafetensors(new Uint8Array(readFileSync(new URL(`${name}.io.safetensors`, dir))), 'io');
    const x = io.get('input')!;
    const want = io.get('output')!;
    const plain = [...runGraph(r.graph!, r.weights!, [x]).values()][0]!;
    const opt = optimize(r.graph!, r.weights!);
    // The activations after conv + bn become conv epilogues.
    const fused = opt.graph.nodes.filter((n) => n.attrs.epilogue?.activation && (activations as readonly string[]).includes(n.attrs.epilogue.activation));
    expect(fused.length).toBeGreaterThan(0);
    const optimised = [...runGraph(opt.graph, opt.weights, [x]).values()][0]!;
    const wasm = [...(await runWasm(opt.graph, opt.weights, [x])).outputs.values()][0]!;
    const errors = [plain, optimised, wasm].map((t) => relativeL2(t.data, want.data));
    console.log(`${name}: relative L2 against PyTorch float64: interpreter ${errors[0]!.toExponential(2)}, optimised ${errors[1]!.toExponential(2)}, wasm ${errors[2]!.toExponential(2)}; ${fused.length} fused activations`);
    for (const e of errors) expect(e).toBeLessThan(1e-5);
  });
});
