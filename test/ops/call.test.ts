/**
 * `call` is the inverse of attribute normalisation: the call an entry gives for some
 * attributes normalises back to the same attributes (what the ONNX source writer relies on).
 */
import { describe, expect, it } from 'vitest';
import { CallProblem, type ArgValue } from '../../src/ops/call.ts';
import { lookupOp, OPS } from '../../src/ops/registry.ts';
import type { ScalarValue } from '../../src/ops/types.ts';
import { infer } from './op-context.ts';

const X4 = [1, 8, 12, 12];

/** Spelling, input shape and arguments: at least one call per operator the language spells. */
const CASES: [string, number[][], Record<string, ScalarValue>][] = [
  ['conv2d', [X4], { out: 16, k: 3, stride: 2, pad: 1, dilation: 2, groups: 4, bias: false }],
  ['conv', [X4], { out: 4, k: [3, 4], pad: 'same' }],
  ['conv1d', [[1, 8, 20]], { out: 4, k: 5 }],
  ['conv_transpose', [X4], { out: 6, k: 4, stride: 2, pad: 1, output_pad: 1, groups: 2 }],
  ['maxpool', [X4], { k: 3, stride: 2, pad: 1, dilation: 2, ceil: true }],
  ['avgpool2d', [X4], { k: 2, count_include_pad: false }],
  ['adaptive_avgpool', [X4], { size: [3, 4] }],
  ['global_maxpool', [X4], {}],
  ['batchnorm', [X4], { eps: 1e-3 }],
  ['relu', [X4], {}],
  ['relu6', [X4], {}],
  ['clip', [X4], { max: 2.5 }],
  ['leaky_relu', [X4], { slope: 0.2 }],
  ['sigmoid', [X4], {}],
  ['tanh', [X4], {}],
  ['hardsigmoid', [X4], { alpha: 0.2, beta: 0.5 }],
  ['hardswish', [X4], {}],
  ['silu', [X4], {}],
  ['gelu', [X4], { approximate: 'tanh' }],
  ['elu', [X4], { alpha: 0.5 }],
  ['prelu', [X4], { slopes: 8 }],
  ['softmax', [X4], { axis: -1 }],
  ['add', [X4, X4], {}],
  ['sub', [X4, [8, 1, 1]], {}],
  ['divide', [X4], { shape: [1, 8, 1, 1] }],
  ['mean', [X4], { axes: [2, 3], keepdim: true }],
  ['amax', [X4], {}],
  ['pad', [X4], { begin: [1, 2], end: [0, 3], mode: 'constant', value: 0.5 }],
  ['pad', [X4], { begin: 2, mode: 'reflect' }],
  ['channel_shuffle', [X4], { groups: 2 }],
  ['slice', [X4], { start: 2, length: 4 }],
  ['mul', [X4, [8, 1, 1]], {}],
  ['concat', [X4, X4], { axis: 2 }],
  ['flatten', [X4], { start: 1, end: 2 }],
  ['flatten', [X4], {}],
  ['linear', [[2, 10]], { features: 3, bias: false }],
  ['dropout', [X4], { p: 0.25 }],
  ['identity', [X4], {}],
  ['upsample', [X4], { scale: 2, mode: 'bilinear', align_corners: true }],
  ['upsample', [X4], { size: [5, 7] }],
];

function scalar(v: ArgValue): ScalarValue {
  return v.v;
}

describe('call inverts attrs', () => {
  it('covers every operator the language spells', () => {
    const covered = new Set(CASES.map(([s]) => lookupOp(s)!.def.name));
    expect(OPS.filter((d) => d.spellings.length > 0 && !covered.has(d.name)).map((d) => d.name)).toEqual([]);
  });
  it.each(CASES)('%s %j', (spelling, inputs, args) => {
    const first = infer(spelling, inputs, args);
    expect(first.ctx.reports).toEqual([]);
    const call = first.def.call!(first.attrs, inputs);
    const def = lookupOp(call.callee)!.def;
    const back: Record<string, ScalarValue> = {};
    call.args.forEach((a, i) => (back[a.name ?? def.args[i]!.name] = scalar(a.value)));
    const again = infer(call.callee, inputs, back);
    expect(again.ctx.reports).toEqual([]);
    expect(again.def.name).toBe(first.def.name);
    expect(again.attrs).toEqual(first.attrs);
  });
  it('refuses padding only pad="same" could say, at another stride', () => {
    const r = infer('conv', [X4], { out: 4, k: 4, pad: 'same' });
    const attrs = { ...(r.attrs as object), stride: [2, 2] };
    expect(() => r.def.call!(attrs as typeof r.attrs, [X4])).toThrow(CallProblem);
  });
});
