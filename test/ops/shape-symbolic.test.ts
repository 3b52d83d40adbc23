/** Shape rules on symbolic dimensions: sizes stay exact, requirements are named. */
import { describe, expect, it } from 'vitest';
import { compareDims, dimConst, dimFloorDiv, dimSym, dimToString, type Dim } from '../../src/ir/dim/dim.ts';
import { outputPaddingFor } from '../../src/ops/conv_transpose/def.ts';
import type { ConvTransposeAttrs } from '../../src/ops/attrs.ts';
import { infer } from './op-context.ts';

const text = (s: Dim[] | undefined) => s?.map(dimToString);
const H = dimSym('H');

describe('symbolic shapes', () => {
  it('conv k3 pad1 keeps H and W', () => {
    expect(text(infer('conv', [['N', 'C', 'H', 'W']], { out: 64, k: 3, pad: 1 }).shape)).toEqual(['N', '64', 'H', 'W']);
    expect(text(infer('conv', [['N', 'C', 'H', 'W']], { out: 8, k: 5, pad: 'same' }).shape)).toEqual(['N', '8', 'H', 'W']);
  });
  it('maxpool k2 gives floor(H/2); stride-2 convs compose', () => {
    expect(text(infer('maxpool', [['N', 'C', 'H', 'W']], { k: 2 }).shape)).toEqual(['N', 'C', 'floor(H/2)', 'floor(W/2)']);
    const stem = infer('conv', [['N', 3, 'H', 'W']], { out: 64, k: 7, stride: 2, pad: 3 }).shape!;
    expect(dimToString(stem[2]!)).toBe('ceil(H/2)');
    const pooled = infer('maxpool', [stem], { k: 3, stride: 2, pad: 1 }).shape!;
    expect(dimToString(pooled[2]!)).toBe('ceil(H/4)');
    expect(text(infer('maxpool', [['N', 'C', 'H']], { k: 2, ceil: true }).shape)).toEqual(['N', 'C', 'ceil(H/2)']);
  });
  it('convT k2 s2 of floor(H/2) equals H when H is divisible by 2', () => {
    const down = infer('maxpool', [['N', 'C', 'H', 'W']], { k: 2 }).shape!;
    const up = infer('conv_transpose', [down], { out: 8, k: 2, stride: 2 }).shape!;
    expect(dimToString(up[2]!)).toBe('2*floor(H/2)');
    expect(compareDims(up[2]!, H)).toMatchObject({ kind: 'requires', requirements: [{ text: 'H must be divisible by 2' }] });
  });
  it('records divisibility of symbolic channels by groups', () => {
    const r = infer('conv', [['N', 'C', 'H', 'W']], { out: 8, k: 3, groups: 4 });
    expect(r.ctx.reports).toEqual([]);
    expect(r.ctx.requirements.map((q) => q.text)).toEqual(['C must be divisible by 4']);
    expect(text(r.def.weights!(r.attrs, [[H, dimSym('C'), H, H]])[0]!.shape)).toEqual(['8', 'C/4', '3', '3']);
  });
  it('names the least input size a window needs', () => {
    const r = infer('conv', [['N', 'C', 'H', 'W']], { out: 8, k: 7 });
    expect(r.ctx.reports).toEqual([]);
    expect(r.ctx.positivity).toEqual(['H must be at least 7', 'W must be at least 7']);
  });
  it('add and concat compare symbolic sizes', () => {
    const skip = [dimSym('N'), dimSym('C'), H, dimSym('W')];
    const down = infer('maxpool', [skip], { k: 2 }).shape!;
    const up = infer('conv_transpose', [down], { out: 8, k: 2, stride: 2 }).shape!;
    const cat = infer('concat', [skip, up]);
    expect(text(cat.shape)).toEqual(['N', 'C + 8', 'H', 'W']);
    expect(cat.ctx.requirements.map((q) => q.text)).toEqual(['H must be divisible by 2', 'W must be divisible by 2']);
    expect(infer('add', [['N', 'C', 'H', 'W'], ['N', 'C', 'H', 'V']]).ctx.reports).toMatchObject([{ code: 'NET2002', args: { got: '[H, W] and [H, V]' } }]);
  });
  it('flatten multiplies symbolic axes; upsample scales exactly', () => {
    expect(text(infer('flatten', [['N', 'C', 'H', 'W']]).shape)).toEqual(['N', 'C*H*W']);
    expect(text(infer('upsample', [['N', 'C', 'H', 'W']], { scale: 2 }).shape)).toEqual(['N', 'C', '2*H', '2*W']);
    expect(text(infer('upsample', [['N', 'C', 'H', 'W']], { scale: 1.5 }).shape)).toEqual(['N', 'C', 'H + floor(H/2)', 'W + floor(W/2)']);
  });
});

describe('outputPaddingFor', () => {
  const attrs = (k: number, stride: number, pad: number): ConvTransposeAttrs => ({
    rank: 1, outChannels: 1, kernel: [k], stride: [stride], pad: [pad], outputPad: [0], dilation: [1], groups: 1, bias: false,
  });
  it('finds the output_pad giving a concrete target', () => {
    expect(outputPaddingFor([dimConst(28)], [dimConst(56)], attrs(3, 2, 1)))
      .toEqual({ outputPad: [1], requirements: [] });
    expect(outputPaddingFor([dimConst(28)], [dimConst(55)], attrs(3, 2, 1)))
      .toEqual({ outputPad: [0], requirements: [] });
    expect(outputPaddingFor([dimConst(28)], [dimConst(60)], attrs(3, 2, 1))).toBeUndefined();
  });
  it('finds the output_pad that restores H after a stride-2 downsampling, with its requirement', () => {
    const r = outputPaddingFor([dimFloorDiv(H, 2)], [H], attrs(3, 2, 1));
    expect(r?.outputPad).toEqual([1]);
    expect(r?.requirements.map((q) => q.text)).toEqual(['H must be divisible by 2']);
  });
});
