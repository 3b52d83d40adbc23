/**
 * Normalised operator attributes: what every stage after the checker reads. The checker turns
 * the arguments a user wrote (`k=3, pad="same"`) into these, with every default applied and
 * every per-axis value expanded to one entry per spatial axis.
 */

/** Spatial rank: 1, 2 or 3 axes after batch and channels. */
export type Rank = 1 | 2 | 3;

export interface ConvAttrs {
  rank: Rank;
  outChannels: number;
  kernel: number[];
  stride: number[];
  /** Padding before each spatial axis (top/left/front). */
  padBegin: number[];
  /** Padding after each spatial axis; differs from padBegin only for "same" with an even window. */
  padEnd: number[];
  dilation: number[];
  groups: number;
  bias: boolean;
}

export interface ConvTransposeAttrs {
  rank: Rank;
  outChannels: number;
  kernel: number[];
  stride: number[];
  pad: number[];
  outputPad: number[];
  dilation: number[];
  groups: number;
  bias: boolean;
}

export interface PoolAttrs {
  rank: Rank;
  kernel: number[];
  stride: number[];
  pad: number[];
  /** Max pool only; avg pool has dilation 1. */
  dilation: number[];
  ceil: boolean;
  /** Avg pool only. */
  countIncludePad: boolean;
}

export interface AdaptivePoolAttrs {
  rank: Rank;
  /** Output size per spatial axis. */
  size: number[];
}

export interface BatchNormAttrs {
  eps: number;
}

/** clip carries min/max, leaky_relu its slope; relu6 is clip(0, 6). */
export interface ActivationAttrs {
  min?: number;
  max?: number;
  slope?: number;
}

export interface AxisAttrs {
  /** Normalised to a non-negative axis. */
  axis: number;
}

export interface FlattenAttrs {
  /** Normalised, inclusive, non-negative. */
  start: number;
  end: number;
}

export interface LinearAttrs {
  outFeatures: number;
  bias: boolean;
}

export interface DropoutAttrs {
  p: number;
}

export interface UpsampleAttrs {
  rank: Rank;
  mode: 'nearest' | 'linear';
  /** Output size per spatial axis (always filled in after shape inference). */
  size: number[];
  /** Scale per spatial axis when the user gave one; PyTorch then maps coordinates by 1/scale. */
  scale?: number[];
  alignCorners: boolean;
}

/** A contiguous range along one axis (channels unless written otherwise) of a tensor. */
export interface SliceAttrs {
  axis: number;
  start: number;
  length: number;
}

/**
 * add, sub, mul, div: two tensor operands, or one and a constant the operator owns as its
 * weight `value` (input normalisation's per-channel mean and std), of shape `constant`.
 */
export interface ElementwiseAttrs {
  constant?: number[];
}

/** Operators without arguments. */
export type NoAttrs = Record<never, never>;

export type { OpName } from '../ir/op-attrs.ts';

/** The attributes of each canonical operator name; language aliases (`conv2d`, `bn`, ...) map to these. */
declare module '../ir/op-attrs.ts' {
  interface OpAttrsByName {
    conv: ConvAttrs;
    conv_transpose: ConvTransposeAttrs;
    maxpool: PoolAttrs;
    avgpool: PoolAttrs;
    adaptive_avgpool: AdaptivePoolAttrs;
    adaptive_maxpool: AdaptivePoolAttrs;
    batchnorm: BatchNormAttrs;
    relu: ActivationAttrs;
    relu6: ActivationAttrs;
    clip: ActivationAttrs;
    leaky_relu: ActivationAttrs;
    sigmoid: ActivationAttrs;
    tanh: ActivationAttrs;
    softmax: AxisAttrs;
    add: ElementwiseAttrs;
    mul: ElementwiseAttrs;
    sub: ElementwiseAttrs;
    div: ElementwiseAttrs;
    concat: AxisAttrs;
    flatten: FlattenAttrs;
    linear: LinearAttrs;
    dropout: DropoutAttrs;
    identity: NoAttrs;
    upsample: UpsampleAttrs;
    slice: SliceAttrs;
  }
}
