/**
 * Helpers the reference kernels share. Every spatial kernel works on three spatial axes
 * [D, H, W]: a rank-1 or rank-2 tensor is viewed with leading size-1 axes (kernel 1,
 * stride 1, no padding), so one loop nest serves conv1d, conv2d and conv3d alike.
 */

/** The last `rank` entries of `shape` as [D, H, W], padded in front with `fill`. */
export function toSpatial3(values: readonly number[], fill: number): [number, number, number] {
  const r = values.length;
  if (r > 3) throw new Error(`spatial rank ${r} is above 3`);
  const pad = Array<number>(3 - r).fill(fill);
  return [...pad, ...values] as [number, number, number];
}

/** Batch, channels and the three spatial sizes of an activation tensor [N, C, ...spatial]. */
export function splitNCS(shape: readonly number[]): { n: number; c: number; sp: [number, number, number] } {
  if (shape.length < 3 || shape.length > 5) {
    throw new Error(`expected an activation [N, C, ...spatial] with 1 to 3 spatial axes, got rank ${shape.length}`);
  }
  return { n: shape[0]!, c: shape[1]!, sp: toSpatial3(shape.slice(2), 1) };
}

/**
 * The range [lo, hi) of a in [0, count) for which a * stride + offset lies in [0, limit).
 * Convolution taps: a = output position, offset = k * dilation - pad; transposed
 * convolution: a = input position. Computing it once per tap keeps the inner loop branch-free.
 */
export function tapRange(count: number, limit: number, stride: number, offset: number): [number, number] {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(count, Math.floor((limit - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

/**
 * tapRange for every tap k of one axis (offset k * dilation - pad), as flat [lo, hi] pairs:
 * computed once per kernel call instead of once per tap and channel pair.
 */
export function tapRanges(taps: number, count: number, limit: number, stride: number, dilation: number, pad: number): Int32Array {
  const out = new Int32Array(2 * taps);
  for (let k = 0; k < taps; k++) {
    const [lo, hi] = tapRange(count, limit, stride, k * dilation - pad);
    out[2 * k] = lo;
    out[2 * k + 1] = hi;
  }
  return out;
}

/**
 * The sizes a convolution kernel (direct or transposed) loops over, as 3-D triples: batch,
 * channels and their per-group counts, input and output planes, kernel, stride, leading
 * padding and dilation.
 */
export function convGeometry(
  xShape: readonly number[],
  outShape: readonly number[],
  a: { kernel: number[]; stride: number[]; dilation: number[]; groups: number },
  pad: readonly number[],
) {
  const { n: batch, c: cin, sp: inSp } = splitNCS(xShape);
  const { c: cout, sp: outSp } = splitNCS(outShape);
  const k = toSpatial3(a.kernel, 1);
  return {
    batch, cin, cout, groups: a.groups, cinG: cin / a.groups, coutG: cout / a.groups,
    inSp, outSp, k, s: toSpatial3(a.stride, 1), p: toSpatial3(pad, 0), d: toSpatial3(a.dilation, 1),
    inPlane: inSp[0] * inSp[1] * inSp[2], outPlane: outSp[0] * outSp[1] * outSp[2], kVol: k[0] * k[1] * k[2],
  };
}
