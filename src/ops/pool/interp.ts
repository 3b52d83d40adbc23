/**
 * Reference pooling (1d/2d/3d): max and average over strided windows, and adaptive
 * average and max over the windows [floor(i*I/O), ceil((i+1)*I/O)).
 *
 * Window bounds are precomputed per axis, so each output element only loops over its
 * window. The output size (including ceil mode's last-window rule) comes from outShape.
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { AdaptivePoolAttrs, PoolAttrs } from '../attrs.ts';
import { splitNCS, toSpatial3 } from '../spatial.ts';

/** Per-axis window bounds: output o reads input [lo[o], hi[o]) and divides by div[o]. */
interface AxisWindows {
  lo: Int32Array;
  hi: Int32Array;
  /** Average-pool divisor factor of this axis (count_include_pad semantics). */
  div: Int32Array;
}

/**
 * PyTorch's avg-pool windows: start o*s - p, end min(start + k, in + p) (so in ceil mode a
 * window running past the right padding is cut), then clipped to the real input. The divisor
 * with count_include_pad is the padded-and-cut length, otherwise the clipped one.
 */
function avgWindows(out: number, input: number, k: number, s: number, p: number, includePad: boolean): AxisWindows {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const div = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, input + p);
    lo[o] = Math.max(start, 0);
    hi[o] = Math.min(end, input);
    div[o] = includePad ? end - start : hi[o]! - lo[o]!;
  }
  return { lo, hi, div };
}

function adaptiveWindows(out: number, input: number): AxisWindows {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const div = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    lo[o] = Math.floor((o * input) / out);
    hi[o] = Math.ceil(((o + 1) * input) / out);
    div[o] = hi[o]! - lo[o]!;
  }
  return { lo, hi, div };
}

/** Average of each window; `windows` per spatial axis [D, H, W]. */
function averageWindows(x: Tensor, outShape: number[], windows: AxisWindows[]): Tensor {
  const { n, c, sp: [ID, IH, IW] } = splitNCS(x.shape);
  const { sp: [OD, OH, OW] } = splitNCS(outShape);
  const [wd, wh, ww] = windows as [AxisWindows, AxisWindows, AxisWindows];
  const xd = x.data;
  const out = new Float32Array(n * c * OD * OH * OW);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * ID * IH * IW;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, o++) {
          let sum = 0;
          for (let id = wd.lo[od]!; id < wd.hi[od]!; id++) {
            for (let ih = wh.lo[oh]!; ih < wh.hi[oh]!; ih++) {
              const row = base + (id * IH + ih) * IW;
              for (let iw = ww.lo[ow]!; iw < ww.hi[ow]!; iw++) sum += xd[row + iw]!;
            }
          }
          out[o] = sum / (wd.div[od]! * wh.div[oh]! * ww.div[ow]!);
        }
      }
    }
  }
  return { shape: [...outShape], data: out };
}

/**
 * Maximum over each window; taps at lo + j * dilation below hi. Padding never wins (it acts
 * as -inf) and NaN propagates, as in PyTorch.
 */
function maxWindows(x: Tensor, outShape: number[], windows: AxisWindows[], dilation: number[]): Tensor {
  const { n, c, sp: [ID, IH, IW] } = splitNCS(x.shape);
  const { sp: [OD, OH, OW] } = splitNCS(outShape);
  const [wd, wh, ww] = windows as [AxisWindows, AxisWindows, AxisWindows];
  const [DD, DH, DW] = dilation as [number, number, number];
  const xd = x.data;
  const out = new Float32Array(n * c * OD * OH * OW);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * ID * IH * IW;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, o++) {
          let best = -Infinity;
          for (let id = wd.lo[od]!; id < wd.hi[od]!; id += DD) {
            for (let ih = wh.lo[oh]!; ih < wh.hi[oh]!; ih += DH) {
              const row = base + (id * IH + ih) * IW;
              for (let iw = ww.lo[ow]!; iw < ww.hi[ow]!; iw += DW) {
                const v = xd[row + iw]!;
                if (v > best || Number.isNaN(v)) best = v;
              }
            }
          }
          out[o] = best;
        }
      }
    }
  }
  return { shape: [...outShape], data: out };
}

/**
 * Max-pool windows: taps start + j * dilation for j < k; the first tap inside the input is
 * the lower bound (stepping by whole dilations from start), the input end clips the upper.
 */
function maxPoolWindows(out: number, input: number, k: number, s: number, p: number, d: number): AxisWindows {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + (k - 1) * d + 1, input);
    let first = start;
    if (first < 0) first += Math.ceil(-first / d) * d;
    lo[o] = first;
    hi[o] = Math.max(first, end);
  }
  return { lo, hi, div: new Int32Array(out).fill(1) };
}

export function maxpoolInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: PoolAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const inSp = splitNCS(x.shape).sp;
  const outSp = splitNCS(outShape).sp;
  const k = toSpatial3(attrs.kernel, 1);
  const s = toSpatial3(attrs.stride, 1);
  const p = toSpatial3(attrs.pad, 0);
  const d = toSpatial3(attrs.dilation, 1);
  const windows = [0, 1, 2].map((a) => maxPoolWindows(outSp[a]!, inSp[a]!, k[a]!, s[a]!, p[a]!, d[a]!));
  return maxWindows(x, outShape, windows, d);
}

export function avgpoolInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: PoolAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const inSp = splitNCS(x.shape).sp;
  const outSp = splitNCS(outShape).sp;
  const k = toSpatial3(attrs.kernel, 1);
  const s = toSpatial3(attrs.stride, 1);
  const p = toSpatial3(attrs.pad, 0);
  const windows = [0, 1, 2].map((a) => avgWindows(outSp[a]!, inSp[a]!, k[a]!, s[a]!, p[a]!, attrs.countIncludePad));
  return averageWindows(x, outShape, windows);
}

export function adaptiveAvgpoolInterp(
  inputs: Tensor[],
  _params: Record<string, Tensor>,
  _attrs: AdaptivePoolAttrs,
  outShape: number[],
): Tensor {
  const x = inputs[0]!;
  const inSp = splitNCS(x.shape).sp;
  const outSp = splitNCS(outShape).sp;
  return averageWindows(x, outShape, [0, 1, 2].map((a) => adaptiveWindows(outSp[a]!, inSp[a]!)));
}

export function adaptiveMaxpoolInterp(
  inputs: Tensor[],
  _params: Record<string, Tensor>,
  _attrs: AdaptivePoolAttrs,
  outShape: number[],
): Tensor {
  const x = inputs[0]!;
  const inSp = splitNCS(x.shape).sp;
  const outSp = splitNCS(outShape).sp;
  return maxWindows(x, outShape, [0, 1, 2].map((a) => adaptiveWindows(outSp[a]!, inSp[a]!)), [1, 1, 1]);
}

