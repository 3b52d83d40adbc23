/** Output shapes of test cases (PyTorch formulas), and attribute builders. */
import type { ConvAttrs, ConvTransposeAttrs, PoolAttrs, Rank } from '../../src/ops/attrs.ts';

const fill = (v: number | number[], r: number): number[] => (Array.isArray(v) ? v : new Array<number>(r).fill(v));

export function convAttrs(r: Rank, outChannels: number, o: { k: number | number[]; s?: number | number[]; p?: number | number[]; pEnd?: number | number[]; d?: number | number[]; g?: number; bias?: boolean }): ConvAttrs {
  const padBegin = fill(o.p ?? 0, r);
  return {
    rank: r,
    outChannels,
    kernel: fill(o.k, r),
    stride: fill(o.s ?? 1, r),
    padBegin,
    padEnd: o.pEnd === undefined ? padBegin : fill(o.pEnd, r),
    dilation: fill(o.d ?? 1, r),
    groups: o.g ?? 1,
    bias: o.bias ?? true,
  };
}

export function convOut(x: number[], a: ConvAttrs): number[] {
  const sp = x.slice(2).map((n, i) => Math.floor((n + a.padBegin[i]! + a.padEnd[i]! - a.dilation[i]! * (a.kernel[i]! - 1) - 1) / a.stride[i]!) + 1);
  return [x[0]!, a.outChannels, ...sp];
}

export function convTransposeAttrs(r: Rank, outChannels: number, o: { k: number | number[]; s?: number | number[]; p?: number | number[]; op?: number | number[]; d?: number | number[]; g?: number; bias?: boolean }): ConvTransposeAttrs {
  return {
    rank: r,
    outChannels,
    kernel: fill(o.k, r),
    stride: fill(o.s ?? 1, r),
    pad: fill(o.p ?? 0, r),
    outputPad: fill(o.op ?? 0, r),
    dilation: fill(o.d ?? 1, r),
    groups: o.g ?? 1,
    bias: o.bias ?? true,
  };
}

export function convTransposeOut(x: number[], a: ConvTransposeAttrs): number[] {
  const sp = x.slice(2).map((n, i) => (n - 1) * a.stride[i]! - 2 * a.pad[i]! + a.dilation[i]! * (a.kernel[i]! - 1) + a.outputPad[i]! + 1);
  return [x[0]!, a.outChannels, ...sp];
}

export function poolAttrs(r: Rank, o: { k: number | number[]; s?: number | number[]; p?: number | number[]; d?: number | number[]; ceil?: boolean; cip?: boolean }): PoolAttrs {
  const kernel = fill(o.k, r);
  return {
    rank: r,
    kernel,
    stride: o.s === undefined ? kernel : fill(o.s, r),
    pad: fill(o.p ?? 0, r),
    dilation: fill(o.d ?? 1, r),
    ceil: o.ceil ?? false,
    countIncludePad: o.cip ?? true,
  };
}

export function poolOut(x: number[], a: PoolAttrs): number[] {
  const sp = x.slice(2).map((n, i) => {
    const num = n + 2 * a.pad[i]! - a.dilation[i]! * (a.kernel[i]! - 1) - 1;
    let out = (a.ceil ? Math.ceil(num / a.stride[i]!) : Math.floor(num / a.stride[i]!)) + 1;
    if (a.ceil && (out - 1) * a.stride[i]! >= n + a.pad[i]!) out--;
    return out;
  });
  return [x[0]!, x[1]!, ...sp];
}
