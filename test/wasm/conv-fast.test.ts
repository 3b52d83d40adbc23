import { describe, expect, it } from 'vitest';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import type { ConvAttrs } from '../../src/ops/attrs.ts';
import { convInterp } from '../../src/ops/conv/interp.ts';
import { buildSingleConv, convOutShape } from './conv-standalone.ts';
import { seededUniform as random, withEpilogue } from './conv-cases.ts';
import type { Epilogue } from '../../src/ir/graph.ts';

interface Case {
  name: string;
  x: number[];
  cout: number;
  k: number[];
  stride?: number[];
  pad?: number[];
  dilation?: number[];
  groups?: number;
  epilogue?: Epilogue;
  /** The functions emitted must include the matrix-product kernel. */
  fast: boolean;
}

function attrsOf(c: Case): ConvAttrs & { epilogue?: Epilogue } {
  const r = c.k.length as 1 | 2 | 3;
  const fill = (v: number[] | undefined, d: number): number[] => v ?? new Array<number>(r).fill(d);
  return {
    rank: r,
    outChannels: c.cout,
    kernel: c.k,
    stride: fill(c.stride, 1),
    padBegin: fill(c.pad, 0),
    padEnd: fill(c.pad, 0),
    dilation: fill(c.dilation, 1),
    groups: c.groups ?? 1,
    bias: true,
    epilogue: c.epilogue,
  };
}

function reference(c: Case, x: Tensor, w: Tensor, b: Tensor, res?: Float32Array): Float32Array {
  const attrs = attrsOf(c);
  return withEpilogue(convInterp([x], { weight: w, bias: b }, attrs, convOutShape(c.x, attrs)).data, res, c.epilogue);
}

const cases: Case[] = [
  { name: '1x1 192->64 28x28', x: [1, 192, 28, 28], cout: 64, k: [1, 1], fast: true },
  { name: '1x1 odd sizes 13->10 7x7 relu', x: [1, 13, 7, 7], cout: 10, k: [1, 1], epilogue: { activation: 'relu' }, fast: true },
  { name: '1x1 residual + relu, batch 2', x: [2, 16, 9, 11], cout: 12, k: [1, 1], epilogue: { activation: 'relu', residual: true }, fast: true },
  { name: '3x3 pad 1 32->20 15x17', x: [1, 32, 15, 17], cout: 20, k: [3, 3], pad: [1, 1], fast: true },
  { name: '3x3 pad 1 residual clip', x: [1, 8, 12, 12], cout: 8, k: [3, 3], pad: [1, 1], epilogue: { activation: 'clip', min: 0, max: 0.5, residual: true }, fast: true },
  { name: '3x3 dilation 2 pad 2 leaky', x: [1, 6, 14, 10], cout: 7, k: [3, 3], pad: [2, 2], dilation: [2, 2], epilogue: { activation: 'leaky_relu', slope: 0.1 }, fast: true },
  { name: '5x5 no pad', x: [1, 5, 11, 12], cout: 9, k: [5, 5], fast: true },
  { name: '3x3 groups 4', x: [1, 16, 10, 10], cout: 32, k: [3, 3], pad: [1, 1], groups: 4, fast: true },
  { name: '3x3 long reduction (several panels)', x: [1, 130, 6, 6], cout: 8, k: [3, 3], pad: [1, 1], fast: true },
  { name: '1x1 long reduction, dense output', x: [1, 600, 4, 4], cout: 6, k: [1, 1], epilogue: { activation: 'relu' }, fast: true },
  { name: 'conv1d k3', x: [1, 8, 40], cout: 8, k: [3], pad: [1], fast: true },
  { name: 'conv3d 3x3x3 16->16 8^3', x: [1, 16, 8, 8, 8], cout: 16, k: [3, 3, 3], pad: [1, 1, 1], fast: true },
  { name: 'stride 2 3x3 pad 1', x: [1, 8, 10, 10], cout: 8, k: [3, 3], stride: [2, 2], pad: [1, 1], fast: true },
  { name: 'stride 2 7x7 pad 3 (stem), odd size, relu', x: [1, 3, 23, 21], cout: 8, k: [7, 7], stride: [2, 2], pad: [3, 3], epilogue: { activation: 'relu' }, fast: true },
  { name: 'stride 2 1x1 projection, residual', x: [2, 16, 14, 14], cout: 12, k: [1, 1], stride: [2, 2], epilogue: { residual: true }, fast: true },
  { name: 'stride 3 dilation 2 groups 2', x: [1, 8, 17, 16], cout: 8, k: [3, 3], stride: [3, 3], pad: [2, 2], dilation: [2, 2], groups: 2, fast: true },
  { name: 'stride (1, 2) mixed', x: [1, 4, 9, 12], cout: 4, k: [3, 3], stride: [1, 2], pad: [1, 1], fast: true },
  { name: 'conv3d stride 2', x: [1, 4, 9, 8, 8], cout: 8, k: [3, 3, 3], stride: [2, 2, 2], pad: [1, 1, 1], fast: true },
  { name: '3 output channels over a long reduction (RGB head)', x: [1, 32, 12, 12], cout: 3, k: [3, 3], pad: [1, 1], epilogue: { activation: 'clip', min: -1, max: 1 }, fast: true },
  { name: 'gathered tiles: 3x3 pad 1 on 7x7, 32 channels, relu', x: [1, 24, 7, 7], cout: 32, k: [3, 3], pad: [1, 1], epilogue: { activation: 'relu' }, fast: true },
  { name: 'gathered tiles: several panels, residual, batch 2', x: [2, 130, 5, 5], cout: 20, k: [3, 3], pad: [1, 1], epilogue: { residual: true }, fast: true },
  { name: 'gathered tiles: conv3d 3x3x3 on 6^3', x: [1, 8, 6, 6, 6], cout: 16, k: [3, 3, 3], pad: [1, 1, 1], fast: true },
  { name: 'gathered tiles: stride 2 on 9x9, 16 channels', x: [1, 12, 9, 9], cout: 16, k: [3, 3], stride: [2, 2], pad: [1, 1], fast: true },
  { name: 'gathered tiles: 3x3 pad 1 on 20x20 (9% waste), 64 channels, relu', x: [1, 40, 20, 20], cout: 64, k: [3, 3], pad: [1, 1], epilogue: { activation: 'relu' }, fast: true },
  { name: 'depthwise (not this path)', x: [1, 8, 10, 10], cout: 8, k: [3, 3], pad: [1, 1], groups: 8, fast: false },
];

describe('matrix-product convolution vs interpreter', () => {
  cases.forEach((c, i) => {
    it(c.name, async () => {
      const attrs = attrsOf(c);
      const cig = c.x[1]! / (c.groups ?? 1);
      const wShape = [c.cout, cig, ...c.k];
      const n = (s: number[]): number => s.reduce((a, b) => a * b, 1);
      const x: Tensor = { shape: c.x, data: random(n(c.x), 11 + i) };
      const w: Tensor = { shape: wShape, data: random(n(wShape), 101 + i) };
      const b: Tensor = { shape: [c.cout], data: random(c.cout, 1001 + i) };
      const outShape = convOutShape(c.x, attrs);
      const res = c.epilogue?.residual ? random(n(outShape), 7 + i) : undefined;
      // The matrix-product engine itself: Winograd (conv-winograd.test.ts) would take the 3x3 cases.
      const mod = await buildSingleConv({ xShape: c.x, attrs, weight: w, bias: b, winograd: 'never' });
      expect(mod.functions.some((f) => f.startsWith('conv_gemm'))).toBe(c.fast);
      const got = mod.run(x.data, res);
      const err = relativeL2(got, reference(c, x, w, b, res));
      expect(err).toBeLessThan(1e-5);
    });
  });
});
