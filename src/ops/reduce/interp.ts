/** Reference mean and maximum over axes: float64 sums, NaN propagating through the maximum. */
import type { Tensor } from '../../ir/tensor.ts';
import { numel } from '../../ir/tensor.ts';
import type { ReduceAttrs } from './def.ts';

/** For every input element, the index of the output element it reduces into. */
function outputIndex(shape: readonly number[], axes: readonly number[]): { index: Int32Array; outCount: number } {
  const kept = shape.map((_, a) => !axes.includes(a));
  const outStrides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    if (!kept[a]) continue;
    outStrides[a] = stride;
    stride *= shape[a]!;
  }
  const total = numel([...shape]);
  const index = new Int32Array(total);
  const coord = new Array<number>(shape.length).fill(0);
  let o = 0;
  for (let i = 0; i < total; i++) {
    index[i] = o;
    for (let a = shape.length - 1; a >= 0; a--) {
      coord[a]!++;
      o += outStrides[a]!;
      if (coord[a]! < shape[a]!) break;
      o -= outStrides[a]! * coord[a]!;
      coord[a] = 0;
    }
  }
  return { index, outCount: stride };
}

export function reduceMeanInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: ReduceAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const { index, outCount } = outputIndex(x.shape, attrs.axes);
  const sums = new Float64Array(outCount);
  for (let i = 0; i < x.data.length; i++) sums[index[i]!]! += x.data[i]!;
  const n = x.data.length / outCount;
  return { shape: [...outShape], data: Float32Array.from(sums, (s) => s / n) };
}

export function reduceMaxInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: ReduceAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const { index, outCount } = outputIndex(x.shape, attrs.axes);
  const out = new Float32Array(outCount).fill(-Infinity);
  for (let i = 0; i < x.data.length; i++) {
    const v = x.data[i]!;
    const o = index[i]!;
    // Once NaN, an output stays NaN: no v compares greater than it.
    if (v > out[o]! || Number.isNaN(v)) out[o] = v;
  }
  return { shape: [...outShape], data: out };
}
