/** Reference concatenation along one axis: each input's slabs copied in order. */
import type { Tensor } from '../../ir/tensor.ts';
import type { AxisAttrs } from '../attrs.ts';

export function concatInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: AxisAttrs, outShape: number[]): Tensor {
  const axis = attrs.axis;
  const outer = outShape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = outShape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outRow = outShape[axis]! * inner;
  const out = new Float32Array(outer * outRow);
  let offset = 0;
  for (const t of inputs) {
    const row = t.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * row, (o + 1) * row), o * outRow + offset);
    offset += row;
  }
  return { shape: [...outShape], data: out };
}
