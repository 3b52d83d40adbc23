/**
 * The Wasm lowering of an activation is its table entry's formula: standalone nodes give the
 * interpreter's results bit for bit where no library function is involved, signed zeros and
 * NaN included (relu(-0) is -0, as torch.relu gives).
 */
import { describe, expect, it } from 'vitest';
import { runGraph } from '../../src/interp/run.ts';
import { buildGraph, runWasm } from './harness.ts';

const X = [-7, -0.5, -0, 0, 0.5, 7, Number.NaN, 3];

describe('activations in Wasm', () => {
  it.each([
    ['relu', {}],
    ['relu6', { min: 0, max: 6 }],
    ['clip', { min: -1, max: 1 }],
    ['leaky_relu', { slope: 0.1 }],
  ] as const)('%s matches the interpreter bit for bit', async (op, attrs) => {
    const graph = buildGraph({ x: [1, 8] }, [{ op, inputs: ['x'], output: 'y', shape: [1, 8], attrs }]);
    const x = { shape: [1, 8], data: Float32Array.from(X) };
    const want = Array.from(runGraph(graph, new Map(), [x]).get('y')!.data);
    const got = Array.from((await runWasm(graph, new Map(), [x])).outputs.get('y')!.data);
    expect(got.every((v, i) => Object.is(v, want[i]))).toBe(true);
    if (op === 'relu') expect(Object.is(got[2], -0)).toBe(true);
  });

  it('hardswish, hardsigmoid, elu keep NaN and give the interpreter\'s results on the pieces\' edges', async () => {
    const edges = [-4, -3, -1.5, -0, 0, 1.5, 3, 4, Number.NaN, 6, -6, 1];
    for (const [op, attrs] of [['hardswish', {}], ['hardsigmoid', { alpha: 1 / 6, beta: 0.5 }], ['elu', { alpha: 1 }]] as const) {
      const graph = buildGraph({ x: [1, 12] }, [{ op, inputs: ['x'], output: 'y', shape: [1, 12], attrs }]);
      const x = { shape: [1, 12], data: Float32Array.from(edges) };
      const want = runGraph(graph, new Map(), [x]).get('y')!.data;
      const got = (await runWasm(graph, new Map(), [x])).outputs.get('y')!.data;
      got.forEach((v, i) => (Number.isNaN(want[i]!) ? expect(v, op).toBeNaN() : expect(Math.abs(v - want[i]!), `${op}(${edges[i]})`).toBeLessThanOrEqual(2e-7)));
    }
  });

  it('erf (through gelu) stays within 1e-6 of the float64 result over [-8, 8]', async () => {
    // gelu(x) / x = Phi(x) = (1 + erf(x / sqrt 2)) / 2, so the Wasm erf's error shows in gelu's.
    const n = 16001;
    const xs = Float32Array.from({ length: n }, (_, i) => -8 + (16 * i) / (n - 1));
    const graph = buildGraph({ x: [1, n] }, [{ op: 'gelu', inputs: ['x'], output: 'y', shape: [1, n], attrs: { approximate: 'none' } }]);
    const x = { shape: [1, n], data: xs };
    const want = runGraph(graph, new Map(), [x]).get('y')!.data;
    const got = (await runWasm(graph, new Map(), [x])).outputs.get('y')!.data;
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1, Math.abs(xs[i]!)));
    expect(worst).toBeLessThan(1e-6);
  });
});
