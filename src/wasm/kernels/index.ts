/**
 * The Wasm lowering of every operator, one entry each: adding an operator to the backend
 * means adding its line here, and the type `{ [K in OpName]: Lowering }` makes a missing line
 * a compile error. Every activation lowers through `lowerActivation`, which emits the
 * formula of its table entry.
 */
import type { Node, OpName } from '../../ir/graph.ts';
import { WasmBuildError } from '../errors.ts';
import { lowerActivation } from './activation.ts';
import { lowerBatchNorm } from './batchnorm.ts';
import { lowerChannelShuffle } from './channel-shuffle.ts';
import { lowerAlias, lowerConcat, lowerSlice } from './copy.ts';
import { lowerElementwise } from './elementwise.ts';
import { lowerConv } from './lower-conv.ts';
import { lowerLinear } from './linear.ts';
import { lowerAdaptivePool, lowerPool } from './pool.ts';
import { lowerSoftmax } from './softmax.ts';
import { lowerPad } from './spatial-pad.ts';
import { lowerConvTranspose } from './transposed-conv.ts';
import type { Lowering } from './types.ts';
import { lowerUpsample } from './upsample.ts';

export const LOWERINGS: { readonly [K in OpName]: Lowering } = {
  conv: lowerConv,
  conv_transpose: lowerConvTranspose,
  maxpool: lowerPool,
  avgpool: lowerPool,
  adaptive_avgpool: lowerAdaptivePool,
  adaptive_maxpool: lowerAdaptivePool,
  batchnorm: lowerBatchNorm,
  relu: lowerActivation,
  relu6: lowerActivation,
  clip: lowerActivation,
  leaky_relu: lowerActivation,
  sigmoid: lowerActivation,
  tanh: lowerActivation,
  softmax: lowerSoftmax,
  add: lowerElementwise,
  mul: lowerElementwise,
  concat: lowerConcat,
  channel_shuffle: lowerChannelShuffle,
  slice: lowerSlice,
  flatten: lowerAlias,
  identity: lowerAlias,
  dropout: lowerAlias,
  linear: lowerLinear,
  upsample: lowerUpsample,
  pad: lowerPad,
};

export function loweringFor(node: Node<number>): Lowering {
  const lowering = Object.hasOwn(LOWERINGS, node.op) ? LOWERINGS[node.op] : undefined;
  if (!lowering) throw new WasmBuildError('NET4001', { op: node.op, node: node.name }, node.span);
  return lowering;
}
