/** Operator shape rules on concrete inputs: PyTorch's formulas, argument handling and errors. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constValue, dimConst } from '../../src/ir/dim/dim.ts';
import { poolOutSize } from '../../src/ops/pool/def.ts';
import { concrete, infer } from './op-context.ts';

const codes = (r: ReturnType<typeof infer>) => r.ctx.reports.map((x) => x.code);

/** PyTorch's pooling_output_shape, written imperatively as ATen does. */
function torchPoolSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const num = n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let out = Math.floor(num / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

describe('pooling output size', () => {
  it('the closed form equals PyTorch in floor and ceil mode', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.boolean(),
      (n, k, s, p, d, ceil) => {
        fc.pre(p <= Math.floor(k / 2));
        expect(constValue(poolOutSize(dimConst(n), k, s, p, d, ceil))).toBe(torchPoolSize(n, k, s, p, d, ceil));
      },
    ), { numRuns: 3000 });
  });
  it('defaults the stride to the window and drops a last window that starts in the padding', () => {
    expect(concrete(infer('maxpool', [[1, 4, 9, 9]], { k: 2 }).shape)).toEqual([1, 4, 4, 4]);
    expect(concrete(infer('maxpool', [[1, 4, 9, 9]], { k: 2, ceil: true }).shape)).toEqual([1, 4, 5, 5]);
    expect(concrete(infer('avgpool', [[1, 1, 5]], { k: 1, stride: 2, ceil_mode: true }).shape)).toEqual([1, 1, 3]);
    expect(concrete(infer('maxpool', [[1, 1, 4]], { k: 1, stride: 2, ceil: true }).shape)).toEqual([1, 1, 2]);
  });
  it('rejects padding above half the window', () => {
    const r = infer('maxpool2d', [[1, 8, 8, 8]], { k: 2, pad: 2 });
    expect(r.ctx.reports).toMatchObject([{ code: 'NET2008', at: 'pad', help: 'with k=2 the padding can be at most 1' }]);
  });
  it('adaptive and global pooling', () => {
    expect(concrete(infer('adaptive_avgpool', [[2, 8, 7, 9]], { size: [3, 2] }).shape)).toEqual([2, 8, 3, 2]);
    expect(concrete(infer('global_avgpool', [[2, 8, 7, 9]]).shape)).toEqual([2, 8, 1, 1]);
    expect(concrete(infer('global_maxpool', [[2, 8, 4, 5, 6]]).shape)).toEqual([2, 8, 1, 1, 1]);
    expect(codes(infer('adaptive_maxpool', [[2, 8, 7, 9]]))).toEqual(['NET2009']);
  });
});

describe('convolution', () => {
  it('matches floor((in + 2p - d(k-1) - 1)/s) + 1 per axis', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 }),
      (n, k, s, p, d) => {
        const expected = Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
        const r = infer('conv1d', [[1, 2, n]], { out: 3, k, stride: s, pad: p, dilation: d });
        if (expected >= 1) expect(concrete(r.shape)).toEqual([1, 3, expected]);
        else expect(codes(r)).toEqual(['NET2006']);
      },
    ), { numRuns: 1000 });
  });
  it('takes per-axis tuples and "same" / "valid" padding', () => {
    expect(concrete(infer('conv', [[1, 3, 10, 12]], { out: 4, k: [3, 5], stride: [1, 2], pad: [1, 2] }).shape)).toEqual([1, 4, 10, 6]);
    const same = infer('conv2d', [[1, 3, 10, 12]], { out: 4, k: [4, 3], pad: 'same' });
    expect(concrete(same.shape)).toEqual([1, 4, 10, 12]);
    expect(same.attrs).toMatchObject({ padBegin: [1, 1], padEnd: [2, 1] });
    expect(concrete(infer('conv2d', [[1, 3, 10, 12]], { out: 4, k: 3, padding: 'valid' }).shape)).toEqual([1, 4, 8, 10]);
    expect(infer('conv2d', [[1, 3, 10, 12]], { out: 4, k: 3, stride: 2, pad: 'same' }).ctx.reports).toMatchObject([{ code: 'NET2011', at: 'pad' }]);
  });
  it('reports rank, arity, value and groups errors at the argument responsible', () => {
    expect(infer('conv2d', [[1, 3, 8, 8, 8]], { out: 4, k: 3 }).ctx.reports).toMatchObject([{ code: 'NET2004', args: { got: 5 } }]);
    expect(codes(infer('conv', [[3, 8]], { out: 4, k: 3 }))).toEqual(['NET2004']);
    expect(infer('conv', [[1, 3, 8, 8]], { out: 4, k: [3, 3, 3] }).ctx.reports).toMatchObject([{ code: 'NET2010', at: 'k' }]);
    expect(infer('conv', [[1, 3, 8, 8]], { out: 4, k: 3, stride: 0 }).ctx.reports).toMatchObject([{ code: 'NET2009', at: 'stride' }]);
    expect(infer('conv', [[1, 3, 8, 8]], { out: 4, k: 3, pad: -1 }).ctx.reports).toMatchObject([{ code: 'NET2009', at: 'pad' }]);
    expect(infer('conv', [[1, 6, 8, 8]], { out: 8, k: 3, groups: 4 }).ctx.reports).toMatchObject([{ code: 'NET2005', at: 'groups', args: { what: 'input channels', count: 6 } }]);
    expect(infer('conv', [[1, 8, 8, 8]], { out: 6, k: 3, groups: 4 }).ctx.reports).toMatchObject([{ code: 'NET2005', args: { what: 'out' } }]);
  });
  it('names the padding that makes a too-large window fit', () => {
    const r = infer('conv', [[1, 3, 4, 4]], { out: 8, k: 7 });
    expect(r.ctx.reports[0]).toMatchObject({ code: 'NET2006', args: { size: '-2' } });
    expect(r.ctx.reports[0]!.help).toBe('the input is 4 wide and the window spans 7; pad=2 makes it fit');
  });
  it('grouped weights and MACs', () => {
    const r = infer('conv', [[1, 8, 7, 7]], { out: 6, k: 3, pad: 1, groups: 2 });
    expect(r.def.weights!(r.attrs, [[dimConst(1), dimConst(8), dimConst(7), dimConst(7)]]).map((w) => w.shape.map(constValue))).toEqual([[6, 4, 3, 3], [6]]);
    expect(r.def.macs!(r.attrs, [[1, 8, 7, 7]], [1, 6, 7, 7])).toBe(6 * 49 * 4 * 9);
  });
});

describe('transposed convolution', () => {
  it('(in-1)*s - 2p + d(k-1) + output_pad + 1', () => {
    expect(concrete(infer('conv_transpose', [[1, 2, 3, 3]], { out: 3, k: 3, stride: 2, pad: 1, output_pad: 1 }).shape)).toEqual([1, 3, 6, 6]);
    expect(concrete(infer('conv_transpose1d', [[1, 2, 5]], { out: 3, k: 3, stride: 1, dilation: 2 }).shape)).toEqual([1, 3, 9]);
  });
  it('output_pad must be below max(stride, dilation)', () => {
    const r = infer('conv_transpose', [[1, 8, 7, 7]], { out: 4, k: 3, stride: 2, pad: 1, output_padding: 2 });
    expect(r.ctx.reports).toMatchObject([{ code: 'NET2007', at: 'output_pad', args: { value: 2, max: 2 }, help: 'use output_pad=1 or less, or a larger stride' }]);
    expect(codes(infer('conv_transpose', [[1, 8, 7, 7]], { out: 4, k: 3, stride: 1, dilation: 2, output_pad: 1 }))).toEqual([]);
  });
  it('reports a non-positive output', () => {
    expect(codes(infer('conv_transpose', [[1, 8, 1, 1]], { out: 4, k: 1, pad: 1 }))).toEqual(['NET2006', 'NET2006']);
  });
  it('weights [in, out/groups, k...] and MACs in.numel * out/groups * prod(k)', () => {
    const r = infer('conv_transpose', [[2, 4, 5, 5]], { out: 6, k: 2, stride: 2, groups: 2 });
    expect(r.def.weights!(r.attrs, [[dimConst(2), dimConst(4), dimConst(5), dimConst(5)]]).map((w) => w.shape.map(constValue))).toEqual([[4, 3, 2, 2], [6]]);
    expect(r.def.macs!(r.attrs, [[2, 4, 5, 5]], [2, 6, 10, 10])).toBe(2 * 4 * 25 * 3 * 4);
  });
});

describe('elementwise, concat, flatten, linear', () => {
  it('add and mul take equal shapes or a per-channel operand', () => {
    expect(concrete(infer('add', [[1, 8, 4, 4], [1, 8, 4, 4]]).shape)).toEqual([1, 8, 4, 4]);
    expect(concrete(infer('mul', [[1, 8, 4, 4], [8, 1, 1]]).shape)).toEqual([1, 8, 4, 4]);
    expect(concrete(infer('mul', [[1, 8, 1, 1], [2, 8, 4, 4]]).shape)).toEqual([2, 8, 4, 4]);
    expect(infer('add', [[1, 8, 4, 4], [1, 16, 4, 4]]).ctx.reports).toMatchObject([{ code: 'NET2001', args: { got: '8 and 16' }, input: 1 }]);
    expect(infer('add', [[1, 8, 4, 4], [1, 8, 2, 2]]).ctx.reports).toMatchObject([{ code: 'NET2002', args: { got: '[4, 4] and [2, 2]' } }]);
    expect(codes(infer('mul', [[1, 8, 4, 4], [4, 1, 1]]))).toEqual(['NET2001']);
    expect(codes(infer('mul', [[1, 8, 4, 4], [8, 4]]))).toEqual(['NET2013']);
  });
  it('add, sub, mul and div broadcast as NumPy does, or take a constant operand of their own', () => {
    expect(concrete(infer('sub', [[2, 6, 5, 7], [2, 6, 1, 1]]).shape)).toEqual([2, 6, 5, 7]);
    expect(concrete(infer('divide', [[1, 6, 1, 1], [4, 1, 5, 7]]).shape)).toEqual([4, 6, 5, 7]);
    expect(concrete(infer('add', [[3, 10], [10]]).shape)).toEqual([3, 10]);
    expect(codes(infer('sub', [[1, 8, 4, 4], [3, 4]]))).toEqual(['NET2013']);
    const c = infer('sub', [[1, 3, 8, 8]], { shape: [1, 3, 1, 1] });
    expect(concrete(c.shape)).toEqual([1, 3, 8, 8]);
    expect(c.def.weights!(c.attrs, []).map((w) => [w.role, w.shape.map(constValue)])).toEqual([['value', [1, 3, 1, 1]]]);
    expect(codes(infer('divide', [[1, 3, 8, 8]], { shape: [1, 4, 1, 1] }))).toEqual(['NET2001']);
    expect(codes(infer('mul', [[1, 3, 8, 8]], { shape: [2, 3, 1, 1] }))).toEqual(['NET2013']);
    expect(codes(infer('add', [[1, 3, 8, 8]]))).toEqual(['NET1015']);
    expect(codes(infer('add', [[1, 3, 8, 8], [1, 3, 8, 8]], { shape: [1] }))).toEqual(['NET2009']);
  });
  it('mean and amax reduce the given axes, every spatial axis by default', () => {
    expect(concrete(infer('mean', [[2, 6, 5, 7]]).shape)).toEqual([2, 6]);
    expect(concrete(infer('mean', [[2, 6, 5, 7]], { keepdim: true }).shape)).toEqual([2, 6, 1, 1]);
    expect(concrete(infer('amax', [[1, 4, 3, 5, 6]], { dim: [-1, 2], keepdims: true }).shape)).toEqual([1, 4, 1, 5, 1]);
    expect(codes(infer('mean', [[2, 6]]))).toEqual(['NET2009']);
    expect(codes(infer('amax', [[2, 6, 5, 7]], { axes: [4] }))).toEqual(['NET2012']);
    expect(codes(infer('amax', [[2, 6, 5, 7]], { axes: [2, -2] }))).toEqual(['NET2009']);
  });
  it('concat sums the axis and checks the others', () => {
    expect(concrete(infer('concat', [[1, 64, 28, 28], [1, 128, 28, 28], [1, 32, 28, 28]]).shape)).toEqual([1, 224, 28, 28]);
    expect(concrete(infer('concat', [[1, 4, 2], [1, 4, 3]], { dim: -1 }).shape)).toEqual([1, 4, 5]);
    expect(infer('concat', [[1, 8, 28, 28], [1, 8, 26, 26]]).ctx.reports).toMatchObject([{ code: 'NET2002', input: 1, args: { got: '[28, 28] and [26, 26]' } }]);
    expect(infer('concat', [[1, 8, 4, 4], [1, 8, 4, 4]], { axis: 2 }).shape?.map(constValue)).toEqual([1, 8, 8, 4]);
    expect(codes(infer('concat', [[1, 8, 4, 4], [1, 9, 4, 4]], { axis: 2 }))).toEqual(['NET2001']);
    expect(codes(infer('concat', [[1, 8, 4, 4], [1, 8, 16]]))).toEqual(['NET2015']);
    expect(codes(infer('concat', [[1, 8, 4, 4]], { axis: 4 }))).toEqual(['NET2012']);
  });
  it('flatten merges start..end', () => {
    expect(concrete(infer('flatten', [[2, 8, 3, 3]]).shape)).toEqual([2, 72]);
    expect(concrete(infer('flatten', [[2, 8, 3, 3]], { start_dim: 2 }).shape)).toEqual([2, 8, 9]);
    expect(concrete(infer('flatten', [[2, 8, 3, 3]], { start: 0, end: 1 }).shape)).toEqual([16, 3, 3]);
    expect(codes(infer('flatten', [[2, 8, 3, 3]], { start: 2, end: 1 }))).toEqual(['NET2009']);
  });
  it('linear acts on the last axis and counts batch*in*out MACs', () => {
    const r = infer('linear', [[4, 512]], { out_features: 10 });
    expect(concrete(r.shape)).toEqual([4, 10]);
    expect(r.def.macs!(r.attrs, [[4, 512]], [4, 10])).toBe(4 * 512 * 10);
    expect(r.def.weights!(r.attrs, [[dimConst(4), dimConst(512)]]).map((w) => w.shape.map(constValue))).toEqual([[10, 512], [10]]);
  });
});

describe('activations, softmax, batch norm, dropout, upsample', () => {
  it('activations keep the shape and normalise their attributes', () => {
    expect(infer('relu6', [[1, 2, 3, 3]]).attrs).toEqual({ min: 0, max: 6 });
    expect(infer('leaky_relu', [[1, 2]], { negative_slope: 0.2 }).attrs).toEqual({ slope: 0.2 });
    expect(infer('leaky_relu', [[1, 2]]).attrs).toEqual({ slope: 0.01 });
    expect(infer('clip', [[1, 2]], { min: -1 }).attrs).toEqual({ min: -1 });
    expect(codes(infer('clip', [[1, 2]], { min: 2, max: 1 }))).toEqual(['NET2009']);
    expect(codes(infer('clip', [[1, 2]]))).toEqual(['NET2009']);
    for (const op of ['relu', 'sigmoid', 'tanh', 'identity']) expect(concrete(infer(op, [[1, 2, 5]]).shape)).toEqual([1, 2, 5]);
  });
  it('softmax and dropout check their values', () => {
    expect(infer('softmax', [[2, 10]], { dim: -1 }).attrs).toEqual({ axis: 1 });
    expect(infer('softmax', [[2, 10]], { axis: 2 }).ctx.reports).toMatchObject([{ code: 'NET2012', at: 'axis' }]);
    expect(codes(infer('dropout', [[2, 10]], { p: 1.5 }))).toEqual(['NET2009']);
  });
  it('batch norm owns four [C] tensors, two of them trainable', () => {
    const r = infer('bn', [[2, 16, 4, 4]]);
    expect(r.attrs).toEqual({ eps: 1e-5 });
    expect(r.def.weights!(r.attrs, [[dimConst(2), dimConst(16), dimConst(4), dimConst(4)]]).map((w) => [w.role, w.trainable])).toEqual([
      ['weight', true], ['bias', true], ['running_mean', false], ['running_var', false],
    ]);
    expect(codes(infer('batchnorm2d', [[2, 16, 4]]))).toEqual(['NET2004']);
    expect(codes(infer('batchnorm1d', [[2, 16]]))).toEqual([]);
  });
  it('upsample by scale or size', () => {
    expect(concrete(infer('upsample', [[1, 2, 3, 4]], { scale_factor: 2 }).shape)).toEqual([1, 2, 6, 8]);
    expect(concrete(infer('upsample', [[1, 2, 3, 4]], { scale: [1.5, 0.5] }).shape)).toEqual([1, 2, 4, 2]);
    expect(infer('upsample', [[1, 2, 3, 4]], { scale: 2, mode: 'bilinear' }).attrs).toMatchObject({ mode: 'linear', size: [6, 8], scale: [2, 2] });
    expect(concrete(infer('upsample', [[1, 2, 3, 4]], { size: [5, 7] }).shape)).toEqual([1, 2, 5, 7]);
    expect(codes(infer('upsample', [[1, 2, 3, 4]], { scale: 2, size: 4 }))).toEqual(['NET2014']);
    expect(codes(infer('upsample', [[1, 2, 3, 4]]))).toEqual(['NET2014']);
    expect(infer('upsample', [[1, 2, 3, 4]], { scale: 2, mode: 'trilinear' }).ctx.reports).toMatchObject([{ code: 'NET2009', at: 'mode', help: 'use mode="bilinear"' }]);
    expect(codes(infer('upsample', [[1, 2, 3, 4]], { scale: 0.1 }))).toEqual(['NET2006', 'NET2006']);
  });
});
