/** A dense float32 tensor in row-major (C) order: the one tensor type of interp, io and tests. */
export interface Tensor {
  shape: number[];
  data: Float32Array;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function zeros(shape: number[]): Tensor {
  return { shape: [...shape], data: new Float32Array(numel(shape)) };
}

export function tensor(shape: number[], data: Float32Array | number[]): Tensor {
  const arr = data instanceof Float32Array ? data : Float32Array.from(data);
  if (arr.length !== numel(shape)) {
    throw new Error(`tensor: ${arr.length} elements do not fill shape [${shape.join(', ')}]`);
  }
  return { shape: [...shape], data: arr };
}

/** Relative L2 error ||a - ref|| / ||ref||, computed in float64. NaN anywhere gives NaN. */
export function relativeL2(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Number.NaN;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - ref[i]!;
    num += d * d;
    den += ref[i]! * ref[i]!;
  }
  if (den === 0) return num === 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.sqrt(num / den);
}

export function shapeToString(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}
