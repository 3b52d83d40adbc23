/**
 * Output shapes of the windowed operators on concrete sizes, for stages that build or run a
 * node without the checker (the ONNX importer, single-layer Wasm modules). Each is the
 * operator's own shape rule (conv/def.ts, conv_transpose/def.ts, pool/def.ts) evaluated on
 * constants, so the formula is written once.
 */
import { constValue, dimConst, type Dim } from '../ir/dim/dim.ts';
import type { ConvAttrs, ConvTransposeAttrs, PoolAttrs } from './attrs.ts';
import { convOutSize } from './conv/def.ts';
import { convTransposeOutSize } from './conv_transpose/def.ts';
import { poolOutSize } from './pool/def.ts';

function concrete(d: Dim): number {
  const n = constValue(d);
  if (n === undefined) throw new Error('a size computed from constants is not a constant');
  return n;
}

type ConvSizeAttrs = Pick<ConvAttrs, 'outChannels' | 'kernel' | 'stride' | 'padBegin' | 'padEnd' | 'dilation'>;

/** [N, outChannels, spatial...] of a convolution of an input `x` (sizes may come out below 1). */
export function convOutputShape(x: readonly number[], a: ConvSizeAttrs): number[] {
  const sp = x.slice(2).map((d, i) => concrete(convOutSize(dimConst(d), a.kernel[i]!, a.stride[i]!, a.padBegin[i]!, a.padEnd[i]!, a.dilation[i]!)));
  return [x[0]!, a.outChannels, ...sp];
}

type ConvTransposeSizeAttrs = Pick<ConvTransposeAttrs, 'outChannels' | 'kernel' | 'stride' | 'pad' | 'outputPad' | 'dilation'>;

/** [N, outChannels, spatial...] of a transposed convolution of an input `x`. */
export function convTransposeOutputShape(x: readonly number[], a: ConvTransposeSizeAttrs): number[] {
  const sp = x.slice(2).map((d, i) => concrete(convTransposeOutSize(dimConst(d), a, i, a.outputPad[i]!)));
  return [x[0]!, a.outChannels, ...sp];
}

/** [N, C, spatial...] of a max or average pool of an input `x`. */
export function poolOutputShape(x: readonly number[], a: Pick<PoolAttrs, 'kernel' | 'stride' | 'pad' | 'dilation' | 'ceil'>): number[] {
  const sp = x.slice(2).map((d, i) => concrete(poolOutSize(dimConst(d), a.kernel[i]!, a.stride[i]!, a.pad[i]!, a.dilation[i]!, a.ceil)));
  return [x[0]!, x[1]!, ...sp];
}
