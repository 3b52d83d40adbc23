/**
 * Reference element-wise add, subtract, multiply and divide of two or more tensors (the
 * constant weight `value` last, when the operator owns one). Operands of the output's
 * shape combine element by element; any other operand is broadcast NumPy-style (aligned on
 * the right, size-1 axes repeated), which covers the per-channel `[C, 1, 1]` and
 * `[1, C, 1, 1]` scales the language allows. Operands combine left to right, each result
 * rounded to float32 as PyTorch's chained `a + b + c` is.
 */
import type { Tensor } from '../../ir/tensor.ts';
import { numel } from '../../ir/tensor.ts';

/** Element i of the output in operand t's data, for an operand broadcast to outShape. */
function broadcastIndex(t: Tensor, outShape: number[]): Int32Array {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let a = t.shape.length - 1; a >= 0; a--) {
    const outAxis = rank - t.shape.length + a;
    const size = t.shape[a]!;
    if (size !== 1 && size !== outShape[outAxis]) {
      throw new Error(`cannot broadcast [${t.shape.join(', ')}] to [${outShape.join(', ')}]`);
    }
    strides[outAxis] = size === 1 ? 0 : stride;
    stride *= size;
  }
  const total = numel(outShape);
  const index = new Int32Array(total);
  const coord = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < total; i++) {
    index[i] = src;
    // Odometer step over the output coordinates, keeping src in sync.
    for (let a = rank - 1; a >= 0; a--) {
      coord[a]!++;
      src += strides[a]!;
      if (coord[a]! < outShape[a]!) break;
      src -= strides[a]! * coord[a]!;
      coord[a] = 0;
    }
  }
  return index;
}

function combine(inputs: Tensor[], outShape: number[], f: (a: number, b: number) => number): Tensor {
  const total = numel(outShape);
  const out = new Float32Array(total);
  inputs.forEach((t, k) => {
    const d = t.data;
    const same = d.length === total && t.shape.length === outShape.length && t.shape.every((s, a) => s === outShape[a]);
    if (same) {
      if (k === 0) out.set(d);
      else for (let i = 0; i < total; i++) out[i] = f(out[i]!, d[i]!);
      return;
    }
    const idx = broadcastIndex(t, outShape);
    if (k === 0) for (let i = 0; i < total; i++) out[i] = d[idx[i]!]!;
    else for (let i = 0; i < total; i++) out[i] = f(out[i]!, d[idx[i]!]!);
  });
  return { shape: [...outShape], data: out };
}

type Params = Record<string, Tensor>;

/** The operands: the inputs, then the constant weight `value` when the operator owns one. */
const operands = (inputs: Tensor[], params: Params): Tensor[] => (params['value'] ? [...inputs, params['value']] : inputs);

export function addInterp(inputs: Tensor[], params: Params, _attrs: unknown, outShape: number[]): Tensor {
  return combine(operands(inputs, params), outShape, (a, b) => a + b);
}

export function subInterp(inputs: Tensor[], params: Params, _attrs: unknown, outShape: number[]): Tensor {
  return combine(operands(inputs, params), outShape, (a, b) => a - b);
}

export function mulInterp(inputs: Tensor[], params: Params, _attrs: unknown, outShape: number[]): Tensor {
  return combine(operands(inputs, params), outShape, (a, b) => a * b);
}

export function divInterp(inputs: Tensor[], params: Params, _attrs: unknown, outShape: number[]): Tensor {
  return combine(operands(inputs, params), outShape, (a, b) => a / b);
}
