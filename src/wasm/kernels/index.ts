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
import { lowerPRelu } from './prelu.ts';
import { lowerReduce } from './reduce.ts';
import { lowerSoftmax } from './softmax.ts';
import { lowerPad } from './spatial-pad.ts';
import { lowerConvTranspose } from './transposed-conv.ts';
import type { Lowering } from './types.ts';
import { lowerUpsample } from './upsample.ts';

export const LOWERINGS: { readonly [K in OpName]: Lowering } = {
  conv: lowerConv,
  conv_transpose: lowerConvTranspose,
  maxpool: (a) => lowerPool(a, 'max'),
  avgpool: (a) => lowerPool(a, 'avg'),
  adaptive_avgpool: (a) => lowerAdaptivePool(a, 'avg'),
  adaptive_maxpool: (a) => lowerAdaptivePool(a, 'max'),
  reduce_mean: lowerReduce,
  reduce_max: lowerReduce,
  batchnorm: lowerBatchNorm,
  relu: lowerActivation,
  relu6: lowerActivation,
  clip: lowerActivation,
  leaky_relu: lowerActivation,
  sigmoid: lowerActivation,
  tanh: lowerActivation,
  hardsigmoid: lowerActivation,
  hardswish: lowerActivation,
  silu: lowerActivation,
  gelu: lowerActivation,
  elu: lowerActivation,
  prelu: lowerPRelu,
  softmax: lowerSoftmax,
  add: lowerElementwise,
  sub: lowerElementwise,
  mul: lowerElementwise,
  div: lowerElementwise,
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
