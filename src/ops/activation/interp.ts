/**
 * Reference element-wise activations. NaN passes through each of them, as in PyTorch
 * (so relu is written `x < 0 ? 0 : x`, not `x > 0 ? x : 0`).
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { ActivationAttrs } from '../attrs.ts';

function mapElements(x: Tensor, outShape: number[], f: (v: number) => number): Tensor {
  const src = x.data;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = f(src[i]!);
  return { shape: [...outShape], data: out };
}

/** clamp that keeps NaN (Math.min/Math.max would too, but this says it). */
function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function reluInterp(inputs: Tensor[], _params: Record<string, Tensor>, _attrs: ActivationAttrs, outShape: number[]): Tensor {
  return mapElements(inputs[0]!, outShape, (v) => (v < 0 ? 0 : v));
}

export function relu6Interp(inputs: Tensor[], _params: Record<string, Tensor>, _attrs: ActivationAttrs, outShape: number[]): Tensor {
  return mapElements(inputs[0]!, outShape, (v) => clamp(v, 0, 6));
}

export function clipInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: ActivationAttrs, outShape: number[]): Tensor {
  const lo = attrs.min ?? -Infinity;
  const hi = attrs.max ?? Infinity;
  return mapElements(inputs[0]!, outShape, (v) => clamp(v, lo, hi));
}

export function leakyReluInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: ActivationAttrs, outShape: number[]): Tensor {
  const slope = attrs.slope ?? 0.01;
  return mapElements(inputs[0]!, outShape, (v) => (v < 0 ? v * slope : v));
}

export function sigmoidInterp(inputs: Tensor[], _params: Record<string, Tensor>, _attrs: ActivationAttrs, outShape: number[]): Tensor {
  return mapElements(inputs[0]!, outShape, (v) => 1 / (1 + Math.exp(-v)));
}

export function tanhInterp(inputs: Tensor[], _params: Record<string, Tensor>, _attrs: ActivationAttrs, outShape: number[]): Tensor {
  return mapElements(inputs[0]!, outShape, Math.tanh);
}
