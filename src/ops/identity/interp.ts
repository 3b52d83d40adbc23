/** Reference identity, and dropout, which is the identity in inference. Outputs are copies. */
import type { Tensor } from '../../ir/tensor.ts';
import type { DropoutAttrs } from '../attrs.ts';

export function identityInterp(inputs: Tensor[], _params: Record<string, Tensor>, _attrs: unknown, outShape: number[]): Tensor {
  return { shape: [...outShape], data: inputs[0]!.data.slice() };
}

export function dropoutInterp(inputs: Tensor[], params: Record<string, Tensor>, _attrs: DropoutAttrs, outShape: number[]): Tensor {
  return identityInterp(inputs, params, undefined, outShape);
}
