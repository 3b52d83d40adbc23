/**
 * Kernel behaviour the PyTorch op cases do not reach: other ranks, asymmetric padding,
 * grouped and dilated transposed convolution, ceil-mode and count_include_pad clipping,
 * adaptive max, interpolation rules, NaN handling, broadcasting.
 */
import { describe, expect, it } from 'vitest';
import { relativeL2, type Tensor } from '../../src/ir/tensor.ts';
import { opByName } from '../../src/ops/registry.ts';
import { batchnormInterp } from '../../src/ops/batchnorm/interp.ts';
import { concatInterp } from '../../src/ops/concat/interp.ts';
import { convInterp } from '../../src/ops/conv/interp.ts';
import { convTransposeInterp } from '../../src/ops/conv_transpose/interp.ts';
import { addInterp, mulInterp } from '../../src/ops/elementwise/interp.ts';
import { flattenInterp } from '../../src/ops/flatten/interp.ts';
import { dropoutInterp, identityInterp } from '../../src/ops/identity/interp.ts';
import { linearInterp } from '../../src/ops/linear/interp.ts';
import { adaptiveAvgpoolInterp, adaptiveMaxpoolInterp, avgpoolInterp, maxpoolInterp } from '../../src/ops/pool/interp.ts';
import { softmaxInterp } from '../../src/ops/softmax/interp.ts';
import { upsampleInterp } from '../../src/ops/upsample/interp.ts';
import type { ConvAttrs, PoolAttrs, Rank, UpsampleAttrs } from '../../src/ops/attrs.ts';
import { indices, naiveConv, naiveConvTranspose, offsetOf, rand } from './naive.ts';

const t = (shape: number[], values: number[]): Tensor => ({ shape, data: Float32Array.from(values) });
const list = (x: Tensor): number[] => [...x.data];

describe('convInterp', () => {
  const cases: [string, number[], number[], Omit<ConvAttrs, 'rank' | 'outChannels' | 'kernel' | 'bias'>, boolean][] = [
    ['conv1d stride 2 dilation 2', [2, 3, 17], [4, 3, 3], { stride: [2], padBegin: [1], padEnd: [1], dilation: [2], groups: 1 }, true],
    ['conv2d "same" with an even kernel (pad 1 before, 2 after)', [1, 2, 6, 7], [3, 2, 4, 4], { stride: [1, 1], padBegin: [1, 1], padEnd: [2, 2], dilation: [1, 1], groups: 1 }, true],
    ['conv2d depthwise, stride 2', [1, 4, 9, 8], [4, 1, 3, 3], { stride: [2, 2], padBegin: [1, 1], padEnd: [1, 1], dilation: [1, 1], groups: 4 }, false],
    ['conv2d asymmetric kernel and stride', [1, 3, 10, 9], [2, 3, 1, 5], { stride: [1, 3], padBegin: [0, 2], padEnd: [0, 2], dilation: [1, 1], groups: 1 }, true],
    ['conv3d groups, stride, dilation', [1, 4, 7, 6, 8], [6, 2, 3, 2, 3], { stride: [2, 1, 2], padBegin: [1, 0, 2], padEnd: [1, 0, 2], dilation: [1, 2, 1], groups: 2 }, true],
  ];
  it.each(cases)('%s matches the definition', (name, xShape, wShape, a, hasBias) => {
    const x = rand(`${name}/x`, xShape);
    const w = rand(`${name}/w`, wShape);
    const b = hasBias ? rand(`${name}/b`, [wShape[0]!]) : undefined;
    const rank = (xShape.length - 2) as Rank;
    const outSp = xShape.slice(2).map((s, ax) =>
      Math.floor((s + a.padBegin[ax]! + a.padEnd[ax]! - a.dilation[ax]! * (wShape[2 + ax]! - 1) - 1) / a.stride[ax]!) + 1);
    const outShape = [xShape[0]!, wShape[0]!, ...outSp];
    const attrs: ConvAttrs = { rank, outChannels: wShape[0]!, kernel: wShape.slice(2), bias: hasBias, ...a };
    const y = convInterp([x], b ? { weight: w, bias: b } : { weight: w }, attrs, outShape);
    expect(y.shape).toEqual(outShape);
    const ref = Float32Array.from(naiveConv(x, w, b, a, outShape));
    expect(relativeL2(y.data, ref)).toBeLessThan(1e-6);
  });

  it('propagates NaN through zero weights, as PyTorch does', () => {
    const x = t([1, 1, 1, 3], [1, NaN, 1]);
    const w = t([1, 1, 1, 1], [0]);
    const attrs: ConvAttrs = { rank: 2, outChannels: 1, kernel: [1, 1], stride: [1, 1], padBegin: [0, 0], padEnd: [0, 0], dilation: [1, 1], groups: 1, bias: false };
    expect(list(convInterp([x], { weight: w }, attrs, [1, 1, 1, 3]))).toEqual([0, NaN, 0]);
  });
});

describe('convTransposeInterp', () => {
  const cases: [string, number[], number[], { stride: number[]; pad: number[]; outputPad: number[]; dilation: number[]; groups: number }][] = [
    ['1d stride 3 output_padding 2', [1, 3, 5], [3, 2, 4], { stride: [3], pad: [1], outputPad: [2], dilation: [1], groups: 1 }],
    ['2d groups 2 dilation 2', [2, 4, 4, 5], [4, 3, 3, 3], { stride: [2, 1], pad: [1, 2], outputPad: [1, 0], dilation: [2, 2], groups: 2 }],
    ['2d padding larger than the kernel reach', [1, 2, 6, 6], [2, 2, 3, 3], { stride: [1, 1], pad: [2, 2], outputPad: [0, 0], dilation: [1, 1], groups: 1 }],
    ['3d stride 2 output_padding 1', [1, 2, 3, 2, 3], [2, 3, 3, 2, 3], { stride: [2, 2, 2], pad: [1, 0, 1], outputPad: [1, 1, 0], dilation: [1, 1, 1], groups: 1 }],
  ];
  it.each(cases)('%s matches zero-insertion convolution with a flipped kernel', (name, xShape, wShape, a) => {
    const x = rand(`${name}/x`, xShape);
    const w = rand(`${name}/w`, wShape);
    const cout = wShape[1]! * a.groups;
    const b = rand(`${name}/b`, [cout]);
    const outSp = xShape.slice(2).map((s, ax) =>
      (s - 1) * a.stride[ax]! - 2 * a.pad[ax]! + a.dilation[ax]! * (wShape[2 + ax]! - 1) + a.outputPad[ax]! + 1);
    const outShape = [xShape[0]!, cout, ...outSp];
    const y = convTransposeInterp([x], { weight: w, bias: b }, { rank: (xShape.length - 2) as Rank, outChannels: cout, kernel: wShape.slice(2), bias: true, ...a }, outShape);
    const ref = Float32Array.from(naiveConvTranspose(x, w, b, a, outShape));
    expect(relativeL2(y.data, ref)).toBeLessThan(1e-6);
  });
});

const pool = (p: Partial<PoolAttrs> & { kernel: number[] }): PoolAttrs => ({
  rank: p.kernel.length as Rank, stride: p.kernel, pad: p.kernel.map(() => 0), dilation: p.kernel.map(() => 1),
  ceil: false, countIncludePad: true, ...p,
});

describe('pooling', () => {
  const x6 = t([1, 1, 6], [1, 2, 3, 4, 5, 6]);

  it('avg pool ceil mode: a last window past the input divides by its clipped size', () => {
    const x = t([1, 1, 5], [1, 2, 3, 4, 5]);
    expect(list(avgpoolInterp([x], {}, pool({ kernel: [2], ceil: true }), [1, 1, 3]))).toEqual([1.5, 3.5, 5]);
  });

  it('avg pool count_include_pad clips windows at the right padding; False counts real elements', () => {
    const a = pool({ kernel: [3], stride: [2], pad: [1], ceil: true });
    expect(list(avgpoolInterp([x6], {}, a, [1, 1, 4]))).toEqual([1, 3, 5, 3]);
    expect(list(avgpoolInterp([x6], {}, { ...a, countIncludePad: false }, [1, 1, 4]))).toEqual([1.5, 3, 5, 6]);
  });

  it('max pool with dilation and padding ignores the padding', () => {
    const x = t([1, 1, 7], [5, -1, -2, 8, -3, -4, 2]);
    // Windows start at -2, 0, 2, 4 with taps every 2: {0}, {0,2,4}, {2,4,6}, {4,6}.
    const a = pool({ kernel: [3], stride: [2], pad: [2], dilation: [2] });
    expect(list(maxpoolInterp([x], {}, a, [1, 1, 4]))).toEqual([5, 5, 2, 2]);
  });

  it('max pool of all-negative values is not clamped at 0 by padding', () => {
    const x = t([1, 1, 2, 2], [-4, -3, -2, -1]);
    expect(list(maxpoolInterp([x], {}, pool({ kernel: [3, 3], stride: [1, 1], pad: [1, 1] }), [1, 1, 2, 2]))).toEqual([-1, -1, -1, -1]);
  });

  it('max pool propagates NaN', () => {
    const x = t([1, 1, 4], [1, NaN, 3, 2]);
    expect(list(maxpoolInterp([x], {}, pool({ kernel: [2] }), [1, 1, 2]))).toEqual([NaN, 3]);
  });

  it('adaptive windows [floor(i*I/O), ceil((i+1)*I/O))', () => {
    const x = t([1, 1, 5], [1, 9, 2, 7, 3]);
    // 5 -> 3: [0,2) [1,4) [3,5)
    expect(list(adaptiveMaxpoolInterp([x], {}, { rank: 1, size: [3] }, [1, 1, 3]))).toEqual([9, 9, 7]);
    expect(list(adaptiveAvgpoolInterp([x], {}, { rank: 1, size: [3] }, [1, 1, 3]))).toEqual([5, 6, 5]);
  });

  it('global average pool over 3d', () => {
    const x = rand('gap3d', [2, 3, 2, 3, 4]);
    const y = adaptiveAvgpoolInterp([x], {}, { rank: 3, size: [1, 1, 1] }, [2, 3, 1, 1, 1]);
    for (let p = 0; p < 6; p++) {
      const mean = x.data.subarray(p * 24, (p + 1) * 24).reduce((a, b) => a + b, 0) / 24;
      expect(y.data[p]).toBeCloseTo(mean, 6);
    }
  });
});

const up = (p: Partial<UpsampleAttrs> & { size: number[] }): UpsampleAttrs => ({
  rank: p.size.length as Rank, mode: 'nearest', alignCorners: false, ...p,
});

describe('upsampleInterp', () => {
  const x4 = t([1, 1, 4], [0, 1, 2, 3]);

  it('nearest with a scale maps by 1/scale, not in/out', () => {
    expect(list(upsampleInterp([x4], {}, up({ size: [6], scale: [1.7] }), [1, 1, 6]))).toEqual([0, 0, 1, 1, 2, 2]);
    expect(list(upsampleInterp([x4], {}, up({ size: [6] }), [1, 1, 6]))).toEqual([0, 0, 1, 2, 2, 3]);
  });

  it('nearest downsampling picks floor(dst * in/out)', () => {
    const x = t([1, 1, 1, 5], [0, 1, 2, 3, 4]);
    expect(list(upsampleInterp([x], {}, up({ size: [1, 2] }), [1, 1, 1, 2]))).toEqual([0, 2]);
  });

  it('linear, align_corners true and false', () => {
    const x = t([1, 1, 3], [0, 1, 2]);
    expect(list(upsampleInterp([x], {}, up({ size: [5], mode: 'linear', alignCorners: true }), [1, 1, 5]))).toEqual([0, 0.5, 1, 1.5, 2]);
    const x2 = t([1, 1, 2], [0, 1]);
    expect(list(upsampleInterp([x2], {}, up({ size: [4], mode: 'linear' }), [1, 1, 4]))).toEqual([0, 0.25, 0.75, 1]);
  });

  it('align_corners true with one output takes the first element', () => {
    expect(list(upsampleInterp([x4], {}, up({ size: [1], mode: 'linear', alignCorners: true }), [1, 1, 1]))).toEqual([0]);
  });

  it('trilinear with align_corners reproduces an affine function exactly', () => {
    const inShape = [1, 1, 3, 4, 5];
    const f = (d: number, h: number, w: number): number => 0.5 * d - 0.25 * h + 0.125 * w + 1;
    const x: Tensor = { shape: inShape, data: new Float32Array(60) };
    for (const [, , d, h, w] of indices(inShape)) x.data[offsetOf(inShape, [0, 0, d!, h!, w!])] = f(d!, h!, w!);
    const outShape = [1, 1, 5, 7, 9];
    const y = upsampleInterp([x], {}, up({ size: [5, 7, 9], mode: 'linear', alignCorners: true }), outShape);
    for (const [, , d, h, w] of indices(outShape)) {
      expect(y.data[offsetOf(outShape, [0, 0, d!, h!, w!])]).toBeCloseTo(f((d! * 2) / 4, (h! * 3) / 6, (w! * 4) / 8), 5);
    }
  });

  it('bilinear with a scale factor uses 1/scale for the coordinate mapping', () => {
    // in 3, scale 2.5 -> out 7; src = (dst + 0.5) / 2.5 - 0.5, clamped at 0.
    const x = t([1, 1, 1, 3], [0, 10, 20]);
    const y = upsampleInterp([x], {}, up({ size: [1, 7], scale: [1, 2.5], mode: 'linear' }), [1, 1, 1, 7]);
    const expected = [0, 1, 2, 3, 4, 5, 6].map((d) => Math.min(Math.max((d + 0.5) / 2.5 - 0.5, 0), 2) * 10);
    list(y).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });
});

// Activation kernels are their table entries' formulas.
const reluInterp = opByName('relu').interp;
const relu6Interp = opByName('relu6').interp;
const clipInterp = opByName('clip').interp;
const leakyReluInterp = opByName('leaky_relu').interp;
const sigmoidInterp = opByName('sigmoid').interp;

describe('element-wise and shape kernels', () => {
  it('activations, with NaN passing through', () => {
    const x = t([1, 5], [-7, -0.5, 0.5, 7, NaN]);
    expect(list(reluInterp([x], {}, {}, [1, 5]))).toEqual([0, 0, 0.5, 7, NaN]);
    expect(list(relu6Interp([x], {}, {}, [1, 5]))).toEqual([0, 0, 0.5, 6, NaN]);
    expect(list(clipInterp([x], {}, { min: -1, max: 1 }, [1, 5]))).toEqual([-1, -0.5, 0.5, 1, NaN]);
    expect(list(leakyReluInterp([x], {}, {}, [1, 5]))).toEqual([-0.07, -0.005, 0.5, 7, NaN].map(Math.fround));
    expect(list(leakyReluInterp([x], {}, { slope: 0.2 }, [1, 5]))).toEqual([-1.4, -0.1, 0.5, 7, NaN].map(Math.fround));
    expect(sigmoidInterp([t([3], [0, -1000, 1000])], {}, {}, [3]).data).toEqual(Float32Array.from([0.5, 0, 1]));
  });

  it('softmax along axis 1 of a 4d tensor, stable for large inputs', () => {
    const x = t([1, 3, 1, 2], [1000, 0, 1001, 0, 1002, 0]);
    const y = softmaxInterp([x], {}, { axis: 1 }, [1, 3, 1, 2]);
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const s = e[0]! + e[1]! + e[2]!;
    list(y).forEach((v, i) => expect(v).toBeCloseTo(i % 2 === 0 ? e[i / 2]! / s : 1 / 3, 6));
  });

  it('add and mul: equal shapes, per-channel [C,1,1] and [1,C,1,1], more than two operands', () => {
    const a = t([1, 2, 1, 2], [1, 2, 3, 4]);
    const b = t([1, 2, 1, 2], [10, 20, 30, 40]);
    expect(list(addInterp([a, b], {}, {}, [1, 2, 1, 2]))).toEqual([11, 22, 33, 44]);
    expect(list(addInterp([a, b, a], {}, {}, [1, 2, 1, 2]))).toEqual([12, 24, 36, 48]);
    expect(list(mulInterp([a, t([2, 1, 1], [2, 3])], {}, {}, [1, 2, 1, 2]))).toEqual([2, 4, 9, 12]);
    expect(list(mulInterp([a, t([1, 2, 1, 1], [-1, 0.5])], {}, {}, [1, 2, 1, 2]))).toEqual([-1, -2, 1.5, 2]);
    expect(() => addInterp([a, t([3, 1, 1], [1, 2, 3])], {}, {}, [1, 2, 1, 2])).toThrow(/cannot broadcast/);
  });

  it('concat along channels and along a spatial axis', () => {
    const a = t([1, 1, 2, 2], [1, 2, 3, 4]);
    const b = t([1, 2, 2, 2], [5, 6, 7, 8, 9, 10, 11, 12]);
    expect(list(concatInterp([a, b], {}, { axis: 1 }, [1, 3, 2, 2]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const c = t([1, 1, 2, 1], [0, -1]);
    expect(list(concatInterp([a, c], {}, { axis: 3 }, [1, 1, 2, 3]))).toEqual([1, 2, 0, 3, 4, -1]);
  });

  it('flatten, identity and dropout copy the data and set the shape', () => {
    const x = rand('flat', [2, 3, 2, 2]);
    for (const y of [
      flattenInterp([x], {}, { start: 1, end: 3 }, [2, 12]),
      identityInterp([x], {}, {}, [2, 3, 2, 2]),
      dropoutInterp([x], {}, { p: 0.5 }, [2, 3, 2, 2]),
    ]) {
      expect(y.data).toEqual(x.data);
      expect(y.data).not.toBe(x.data);
    }
    expect(flattenInterp([x], {}, { start: 1, end: 3 }, [2, 12]).shape).toEqual([2, 12]);
  });

  it('linear over the last axis of a 3d input', () => {
    const x = t([2, 1, 3], [1, 2, 3, -1, 0, 1]);
    const w = t([2, 3], [1, 0, 0, 1, 1, 1]);
    const b = t([2], [0.5, -0.5]);
    expect(list(linearInterp([x], { weight: w, bias: b }, { outFeatures: 2, bias: true }, [2, 1, 2]))).toEqual([1.5, 5.5, -0.5, -0.5]);
  });

  it('batch norm with its eps, per channel', () => {
    const x = t([1, 2, 2], [1, 3, 1, 3]);
    const p = { running_mean: t([2], [2, 0]), running_var: t([2], [4 - 1e-3, 1 - 1e-3]), weight: t([2], [1, 2]), bias: t([2], [0, 1]) };
    const y = batchnormInterp([x], p, { eps: 1e-3 }, [1, 2, 2]);
    list(y).forEach((v, i) => expect(v).toBeCloseTo([-0.5, 0.5, 3, 7][i]!, 6));
  });
});
