/**
 * The depthwise kernel (src/wasm/kernels/depthwise-conv.ts) against the interpreter: stride 1
 * and 2, padding (symmetric, asymmetric, none), odd plane sizes (row tails of 1-3 lanes),
 * channel counts that are not multiples of 4, batch > 1, larger kernels (weights splatted
 * from memory) and the epilogue (residual, activation), and against the direct kernel.
 */
import { describe, expect, it } from 'vitest';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import type { ConvAttrs } from '../../src/ops/attrs.ts';
import { convInterp } from '../../src/ops/conv/interp.ts';
import type { Epilogue } from '../../src/ir/graph.ts';
import { buildSingleConv, convOutShape } from './conv-standalone.ts';
import { withEpilogue } from './conv-cases.ts';
import { randomTensor, rng } from './harness.ts';

interface Case {
  name: string;
  x: number[];
  k: number;
  stride: 1 | 2;
  padBegin: number;
  padEnd?: number;
  epilogue?: Epilogue;
}

function attrsOf(c: Case): ConvAttrs & { epilogue?: Epilogue } {
  const C = c.x[1]!;
  return {
    rank: 2,
    outChannels: C,
    kernel: [c.k, c.k],
    stride: [c.stride, c.stride],
    padBegin: [c.padBegin, c.padBegin],
    padEnd: [c.padEnd ?? c.padBegin, c.padEnd ?? c.padBegin],
    dilation: [1, 1],
    groups: C,
    bias: true,
    epilogue: c.epilogue,
  };
}

const cases: Case[] = [
  { name: 's1 3x3 pad 1, 144 ch 14x14', x: [1, 144, 14, 14], k: 3, stride: 1, padBegin: 1 },
  { name: 's1 3x3 pad 1, 5 ch 7x7 (tail of 3, odd rows)', x: [1, 5, 7, 7], k: 3, stride: 1, padBegin: 1 },
  { name: 's1 3x3 pad 1, 3 ch 1x2 (plane smaller than a vector)', x: [1, 3, 1, 2], k: 3, stride: 1, padBegin: 1 },
  { name: 's1 3x3 no pad, 6 ch 9x13', x: [1, 6, 9, 13], k: 3, stride: 1, padBegin: 0 },
  { name: 's1 5x5 pad 2 (taps from memory), 7 ch 11x10', x: [1, 7, 11, 10], k: 5, stride: 1, padBegin: 2 },
  { name: 's1 3x3 pad 1, batch 2, residual + relu', x: [2, 6, 10, 9], k: 3, stride: 1, padBegin: 1, epilogue: { activation: 'relu', residual: true } },
  { name: 's1 3x3 pad 1, 3 ch 70x70 (long rows loop), relu6', x: [1, 3, 70, 70], k: 3, stride: 1, padBegin: 1, epilogue: { activation: 'clip', min: 0, max: 6 } },
  { name: 's2 3x3 pad 1, 144 ch 56x56', x: [1, 144, 56, 56], k: 3, stride: 2, padBegin: 1 },
  { name: 's2 3x3 pad 1, 5 ch 15x15 (odd size)', x: [1, 5, 15, 15], k: 3, stride: 2, padBegin: 1, epilogue: { activation: 'clip', min: 0, max: 6 } },
  { name: 's2 3x3 asymmetric pad (0, 1), 3 ch 8x11', x: [1, 3, 8, 11], k: 3, stride: 2, padBegin: 0, padEnd: 1 },
  { name: 's2 5x5 pad 2, 9 ch 13x9, batch 3', x: [3, 9, 13, 9], k: 5, stride: 2, padBegin: 2 },
  { name: 's2 3x3 pad 1, residual', x: [1, 4, 12, 12], k: 3, stride: 2, padBegin: 1, epilogue: { residual: true } },
];

function reference(c: Case, x: Tensor, w: Tensor, b: Tensor, res?: Float32Array): Float32Array {
  const attrs = attrsOf(c);
  return withEpilogue(convInterp([x], { weight: w, bias: b }, attrs, convOutShape(c.x, attrs)).data, res, c.epilogue);
}

describe('depthwise conv kernel', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = rng(c.x.reduce((a, b) => a * 7 + b, 3));
      const C = c.x[1]!;
      const x = randomTensor(c.x, r);
      const weight = randomTensor([C, 1, c.k, c.k], r);
      const bias = randomTensor([C], r);
      const attrs = attrsOf(c);
      const outShape = convOutShape(c.x, attrs);
      const res = c.epilogue?.residual ? randomTensor(outShape, r).data : undefined;
      const ref = reference(c, x, weight, bias, res);
      const fast = await buildSingleConv({ xShape: c.x, attrs, weight, bias });
      expect(fast.functions.some((f) => f.startsWith('conv_depthwise'))).toBe(true);
      expect(relativeL2(fast.run(x.data, res), ref)).toBeLessThan(1e-6);
      const direct = await buildSingleConv({ xShape: c.x, attrs, weight, bias, directOnly: true });
      expect(direct.functions.some((f) => f.startsWith('conv_depthwise'))).toBe(false);
      expect(relativeL2(direct.run(x.data, res), ref)).toBeLessThan(1e-6);
    });
  }

  it('leaves strides above 2 and dilation to the other kernels', async () => {
    const r = rng(5);
    for (const extra of [{ stride: [3, 3] }, { dilation: [2, 2], padBegin: [2, 2], padEnd: [2, 2] }]) {
      const attrs = { ...attrsOf({ name: '', x: [1, 4, 12, 12], k: 3, stride: 1, padBegin: 1 }), ...extra };
      const x = randomTensor([1, 4, 12, 12], r);
      const weight = randomTensor([4, 1, 3, 3], r);
      const bias = randomTensor([4], r);
      const built = await buildSingleConv({ xShape: x.shape, attrs, weight, bias });
      expect(built.functions.some((f) => f.startsWith('conv_depthwise'))).toBe(false);
      const ref = convInterp([x], { weight, bias }, attrs, convOutShape(x.shape, attrs)).data;
      expect(relativeL2(built.run(x.data), ref)).toBeLessThan(1e-6);
    }
  });
});
