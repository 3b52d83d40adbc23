/**
 * The reference kernel of every activation: its table entry's formula (formula.ts),
 * evaluated in float64 on each element and rounded to float32. Fused epilogues in the
 * interpreter evaluate the same formula, so fusing an activation cannot change a result.
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { Formula } from './formula.ts';
import { scalarFunction } from './formula.ts';

/** The kernel of an activation whose formula, given the node's attributes, is `formulaOf(attrs)`. */
export function activationKernel<A>(formulaOf: (attrs: A) => Formula) {
  return (inputs: Tensor[], _params: Record<string, Tensor>, attrs: A, outShape: number[]): Tensor => {
    const f = scalarFunction(formulaOf(attrs));
    const src = inputs[0]!.data;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
    return { shape: [...outShape], data: out };
  };
}
