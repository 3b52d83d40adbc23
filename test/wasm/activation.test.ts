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
});
