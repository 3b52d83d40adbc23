/**
 * Definitional (slow, obviously correct) implementations the kernel tests compare against:
 * convolution straight from its sum with explicit bounds checks, and transposed convolution
 * through its textbook equivalence (zeros inserted between inputs, padded, flipped kernel).
 */
import { detTensor } from '../../src/io/detTensor.ts';
import { numel, type Tensor } from '../../src/ir/tensor.ts';

/** All index tuples of a shape, row-major. */
export function* indices(shape: number[]): Generator<number[]> {
  const n = numel(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    yield [...idx];
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++idx[a]! < shape[a]!) break;
      idx[a] = 0;
    }
  }
}

export function offsetOf(shape: number[], idx: number[]): number {
  let o = 0;
  for (let a = 0; a < shape.length; a++) o = o * shape[a]! + idx[a]!;
  return o;
}

export function rand(gen: string, shape: number[], lo = -1, hi = 1): Tensor {
  return detTensor(`test/${gen}`, shape, lo, hi);
}

export interface NaiveConv {
  stride: number[];
  padBegin: number[];
  dilation: number[];
  groups: number;
}

/** y[n, oc, o...] = b[oc] + sum_{ic in group, k...} x[n, ic, o*s - p + k*d] w[oc, ic, k]. */
export function naiveConv(x: Tensor, w: Tensor, b: Tensor | undefined, a: NaiveConv, outShape: number[]): Float64Array {
  const out = new Float64Array(numel(outShape));
  const cin = x.shape[1]!;
  const cout = outShape[1]!;
  const cinG = cin / a.groups;
  const kShape = w.shape.slice(2);
  for (const o of indices(outShape)) {
    const [n, oc] = o as [number, number];
    const g = Math.floor(oc / (cout / a.groups));
    let sum = b ? b.data[oc]! : 0;
    for (let icl = 0; icl < cinG; icl++) {
      for (const k of indices(kShape)) {
        const pos = k.map((kk, ax) => o[2 + ax]! * a.stride[ax]! - a.padBegin[ax]! + kk * a.dilation[ax]!);
        if (pos.some((p, ax) => p < 0 || p >= x.shape[2 + ax]!)) continue;
        sum += x.data[offsetOf(x.shape, [n, g * cinG + icl, ...pos])]! * w.data[offsetOf(w.shape, [oc, icl, ...k])]!;
      }
    }
    out[offsetOf(outShape, o)] = sum;
  }
  return out;
}

/**
 * Transposed convolution as a stride-1 convolution of the input with stride-1 zeros inserted
 * between elements, padded by dil*(k-1) - pad on each side (plus output_padding at the end),
 * with the kernel flipped and its in/out axes swapped (per group).
 */
export function naiveConvTranspose(
  x: Tensor,
  w: Tensor,
  b: Tensor | undefined,
  a: { stride: number[]; pad: number[]; outputPad: number[]; dilation: number[]; groups: number },
  outShape: number[],
): Float64Array {
  const rank = x.shape.length - 2;
  const [batch, cin] = x.shape as [number, number];
  const cout = outShape[1]!;
  const k = w.shape.slice(2);
  const coutG = cout / a.groups;
  const cinG = cin / a.groups;
  // Dilated-and-padded input.
  const lead = k.map((kk, ax) => a.dilation[ax]! * (kk - 1) - a.pad[ax]!);
  const zShape = [batch, cin, ...x.shape.slice(2).map((s, ax) => (s - 1) * a.stride[ax]! + 1 + 2 * lead[ax]! + a.outputPad[ax]!)];
  const z: Tensor = { shape: zShape, data: new Float32Array(numel(zShape)) };
  for (const i of indices(x.shape)) {
    const pos = i.slice(2).map((p, ax) => p * a.stride[ax]! + lead[ax]!);
    if (pos.some((p, ax) => p < 0 || p >= zShape[2 + ax]!)) continue;
    z.data[offsetOf(zShape, [i[0]!, i[1]!, ...pos])] = x.data[offsetOf(x.shape, i)]!;
  }
  // Flipped, swapped kernel [C_out, C_in/groups, k...].
  const fShape = [cout, cinG, ...k];
  const f: Tensor = { shape: fShape, data: new Float32Array(numel(fShape)) };
  for (const i of indices(w.shape)) {
    const [ic, ocl] = i as [number, number];
    const g = Math.floor(ic / cinG);
    const flipped = i.slice(2).map((kk, ax) => k[ax]! - 1 - kk);
    f.data[offsetOf(fShape, [g * coutG + ocl, ic - g * cinG, ...flipped])] = w.data[offsetOf(w.shape, i)]!;
  }
  const ones = new Array<number>(rank).fill(1);
  return naiveConv(z, f, b, { stride: ones, padBegin: new Array<number>(rank).fill(0), dilation: a.dilation, groups: a.groups }, outShape);
}
