/** Reference flatten: row-major data is unchanged; only the shape changes (the data is copied). */
import type { Tensor } from '../../ir/tensor.ts';
import type { FlattenAttrs } from '../attrs.ts';

export function flattenInterp(inputs: Tensor[], _params: Record<string, Tensor>, _attrs: FlattenAttrs, outShape: number[]): Tensor {
  return { shape: [...outShape], data: inputs[0]!.data.slice() };
}
