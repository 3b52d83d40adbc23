import { describe, expect, it } from 'vitest';
import { relativeL2 } from '../../src/ir/tensor.ts';
import { runTransposedCase, type TransposedCase } from './conv-cases.ts';

interface Case extends TransposedCase {
  name: string;
  /** Whether the vector-matrix kernel must take it. */
  gemv: boolean;
}

const cases: Case[] = [
  { name: 'k4 s1 p0 100->512 on 1x1 (DCGAN projection), relu', x: [1, 100, 1, 1], cout: 512, k: [4, 4], stride: [1, 1], pad: [0, 0], epilogue: { activation: 'relu' }, gemv: true },
  { name: 'k4 s2 p0 7->5 on 1x1, batch 2, residual + leaky (channel tail)', x: [2, 7, 1, 1], cout: 5, k: [4, 4], stride: [2, 2], pad: [0, 0], epilogue: { activation: 'leaky_relu', slope: 0.2, residual: true }, gemv: true },
  { name: 'conv_transpose3d k2 s2 on 1x1x1, tanh', x: [1, 9, 1, 1, 1], cout: 6, k: [2, 2, 2], stride: [2, 2, 2], pad: [0, 0, 0], epilogue: { activation: 'tanh' }, gemv: true },
  { name: 'k3 on 1x1: 9 taps, not a multiple of 4 (other kernels)', x: [1, 8, 1, 1], cout: 8, k: [3, 3], stride: [1, 1], pad: [0, 0], gemv: false },
  { name: 'k4 p1 on 1x1: padding (other kernels)', x: [1, 8, 1, 1], cout: 8, k: [4, 4], stride: [2, 2], pad: [1, 1], gemv: false },
  { name: 'k4 on 2x2 (other kernels)', x: [1, 8, 2, 2], cout: 8, k: [4, 4], stride: [2, 2], pad: [0, 0], gemv: false },
];

describe('one-position transposed convolution (vector-matrix kernel) vs interpreter', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const r = await runTransposedCase(c, i);
      expect(r.functions.some((f) => f.startsWith('conv_transpose_gemv'))).toBe(c.gemv);
      expect(relativeL2(r.got, r.ref)).toBeLessThan(1e-5);
    });
  });
});
