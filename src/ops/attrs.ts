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

/** Canonical operator names of the IR. Language aliases (`conv2d`, `bn`, ...) map to these. */
export type OpName =
  | 'conv' | 'conv_transpose'
  | 'maxpool' | 'avgpool' | 'adaptive_avgpool' | 'adaptive_maxpool'
  | 'batchnorm'
  | 'relu' | 'relu6' | 'clip' | 'leaky_relu' | 'sigmoid' | 'tanh'
  | 'softmax' | 'add' | 'mul' | 'concat' | 'flatten' | 'linear' | 'dropout' | 'identity' | 'upsample';
