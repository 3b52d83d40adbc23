import { describe, expect, it } from 'vitest';
import { relativeL2 } from '../../src/ir/tensor.ts';
import { runTransposedCase, type TransposedCase } from './conv-cases.ts';

interface Case extends TransposedCase {
  name: string;
  /** Whether the stride-phase path must take it. */
  fast: boolean;
  /** Whether its phases must run on gathered tiles (small planes, many channels). */
  gathered?: boolean;
}

const cases: Case[] = [
  { name: 'k4 s2 p1 512->256 4x4 (DCGAN layer)', x: [1, 512, 4, 4], cout: 256, k: [4, 4], stride: [2, 2], pad: [1, 1], fast: true, gathered: true },
  { name: 'gathered: k4 s2 p1 32->36 4x4, batch 2, residual + relu', x: [2, 32, 4, 4], cout: 36, k: [4, 4], stride: [2, 2], pad: [1, 1], epilogue: { activation: 'relu', residual: true }, fast: true, gathered: true },
  { name: 'gathered: k4 s2 p1 groups 2, 3x5 (overlapping last tile, two panels)', x: [1, 320, 3, 5], cout: 64, k: [4, 4], stride: [2, 2], pad: [1, 1], groups: 2, fast: true, gathered: true },
  { name: 'gathered: conv_transpose3d k4 s2 p1 16->16 3^3', x: [1, 16, 3, 3, 3], cout: 16, k: [4, 4, 4], stride: [2, 2, 2], pad: [1, 1, 1], fast: true, gathered: true },
  { name: 'k4 s2 p1 24->12 9x7 relu', x: [1, 24, 9, 7], cout: 12, k: [4, 4], stride: [2, 2], pad: [1, 1], epilogue: { activation: 'relu' }, fast: true },
  { name: 'k3 s2 p1 output_pad 1, batch 2', x: [2, 8, 6, 6], cout: 8, k: [3, 3], stride: [2, 2], pad: [1, 1], outputPad: [1, 1], fast: true },
  { name: 'k5 s3 p2 residual + leaky', x: [1, 6, 5, 5], cout: 5, k: [5, 5], stride: [3, 3], pad: [2, 2], epilogue: { activation: 'leaky_relu', slope: 0.2, residual: true }, fast: true },
  { name: 'k3 s1 p1 (one phase)', x: [1, 8, 8, 8], cout: 8, k: [3, 3], stride: [1, 1], pad: [1, 1], fast: true },
  { name: 'k4 s2 p1 groups 2', x: [1, 16, 6, 6], cout: 16, k: [4, 4], stride: [2, 2], pad: [1, 1], groups: 2, fast: true },
  { name: 'conv_transpose3d k2 s2 32->16 6^3', x: [1, 32, 6, 6, 6], cout: 16, k: [2, 2, 2], stride: [2, 2, 2], pad: [0, 0, 0], fast: true },
  { name: 'conv_transpose1d k4 s2 p1', x: [1, 8, 20], cout: 8, k: [4], stride: [2], pad: [1], fast: true },
  { name: 'k1 s2: some outputs get only the bias (general kernel)', x: [1, 8, 5, 5], cout: 8, k: [1, 1], stride: [2, 2], pad: [0, 0], fast: false },
];

describe('stride-phase transposed convolution vs interpreter', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const r = await runTransposedCase(c, i);
      expect(r.functions.some((f) => f.startsWith('conv_gemm'))).toBe(c.fast);
      if (c.gathered !== undefined) expect(r.functions.some((f) => f.startsWith('gemm_pack_gather'))).toBe(c.gathered);
      expect(relativeL2(r.got, r.ref)).toBeLessThan(1e-5);
    });
  });
});
