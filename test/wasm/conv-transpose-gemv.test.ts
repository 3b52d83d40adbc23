import { describe, expect, it } from 'vitest';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import type { ConvTransposeAttrs } from '../../src/ops/attrs.ts';
import { convTransposeInterp } from '../../src/ops/conv_transpose/interp.ts';
import { buildSingleConv, convTransposeOutShape } from './conv-standalone.ts';
import type { Epilogue } from '../../src/ir/graph.ts';

function random(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

interface Case {
  name: string;
  x: number[];
  cout: number;
  k: number[];
  stride: number[];
  pad: number[];
  outputPad?: number[];
  groups?: number;
  epilogue?: Epilogue;
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
      const r = c.k.length as 1 | 2 | 3;
      const attrs: ConvTransposeAttrs & { epilogue?: Epilogue } = {
        rank: r, outChannels: c.cout, kernel: c.k, stride: c.stride, pad: c.pad,
        outputPad: c.outputPad ?? new Array<number>(r).fill(0), dilation: new Array<number>(r).fill(1),
        groups: c.groups ?? 1, bias: true, epilogue: c.epilogue,
      };
      const n = (s: number[]): number => s.reduce((a, b) => a * b, 1);
      const wShape = [c.x[1]!, c.cout / (c.groups ?? 1), ...c.k];
      const x: Tensor = { shape: c.x, data: random(n(c.x), 3 + i) };
      const w: Tensor = { shape: wShape, data: random(n(wShape), 30 + i) };
      const b: Tensor = { shape: [c.cout], data: random(c.cout, 300 + i) };
      const outShape = convTransposeOutShape(c.x, attrs);
      const res = c.epilogue?.residual ? random(n(outShape), 5 + i) : undefined;
      const mod = await buildSingleConv({ op: 'conv_transpose', xShape: c.x, attrs, weight: w, bias: b });
      expect(mod.functions.some((f) => f.startsWith('conv_transpose_gemv'))).toBe(c.gemv);
      const got = mod.run(x.data, res);
      const ref = convTransposeInterp([x], { weight: w, bias: b }, attrs, outShape).data;
      for (let j = 0; j < ref.length; j++) {
        let v = ref[j]! + (res ? res[j]! : 0);
        if (c.epilogue?.activation === 'relu') v = Math.max(v, 0);
        if (c.epilogue?.activation === 'leaky_relu') v = v > 0 ? v : v * (c.epilogue.slope ?? 0.01);
        if (c.epilogue?.activation === 'tanh') v = Math.tanh(v);
        ref[j] = v;
      }
      expect(relativeL2(got, ref)).toBeLessThan(1e-5);
    });
  });
});
