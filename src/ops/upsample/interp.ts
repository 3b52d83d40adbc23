/**
 * Reference upsampling (PyTorch `interpolate`) over 1 to 3 spatial axes.
 *
 * nearest: PyTorch's legacy rule src = min(floor(dst * scale), in - 1), computed in float32
 *   as PyTorch does for every dtype, with scale = 1/scale_factor when one was given and
 *   in/out otherwise (and PyTorch's shortcuts for out = in and out = 2 * in).
 * linear (linear/bilinear/trilinear): separable interpolation between the two neighbours
 *   of src = (dst + 0.5) * scale - 0.5 clamped at 0 (align_corners false), or
 *   src = dst * (in - 1)/(out - 1) (align_corners true, which ignores scale_factor).
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { UpsampleAttrs } from '../attrs.ts';
import { splitNCS } from '../spatial.ts';

/** Source neighbours and weights of each output position along one axis. */
interface AxisMap {
  i0: Int32Array;
  i1: Int32Array;
  l0: Float64Array;
  l1: Float64Array;
}

function nearestAxis(out: number, input: number, scaleFactor: number | undefined): AxisMap {
  const i0 = new Int32Array(out);
  const f = Math.fround;
  const scale = scaleFactor !== undefined && scaleFactor > 0 ? f(1 / scaleFactor) : f(input / out);
  for (let o = 0; o < out; o++) {
    if (out === input) i0[o] = o;
    else if (out === 2 * input) i0[o] = o >> 1;
    else i0[o] = Math.min(Math.floor(f(o * scale)), input - 1);
  }
  return { i0, i1: i0, l0: new Float64Array(out).fill(1), l1: new Float64Array(out) };
}

function linearAxis(out: number, input: number, scaleFactor: number | undefined, alignCorners: boolean): AxisMap {
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const l0 = new Float64Array(out);
  const l1 = new Float64Array(out);
  let scale: number;
  if (alignCorners) scale = out > 1 ? (input - 1) / (out - 1) : 0;
  else scale = scaleFactor !== undefined && scaleFactor > 0 ? 1 / scaleFactor : input / out;
  for (let o = 0; o < out; o++) {
    let src = alignCorners ? scale * o : scale * (o + 0.5) - 0.5;
    if (src < 0) src = 0;
    const lo = Math.min(Math.floor(src), input - 1);
    const lambda = Math.min(Math.max(src - lo, 0), 1);
    i0[o] = lo;
    i1[o] = lo < input - 1 ? lo + 1 : lo;
    l0[o] = 1 - lambda;
    l1[o] = lambda;
  }
  return { i0, i1, l0, l1 };
}

export function upsampleInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: UpsampleAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const { n, c, sp: inSp } = splitNCS(x.shape);
  const { sp: outSp } = splitNCS(outShape);
  const rank = x.shape.length - 2;
  // Scale of spatial axis a of [D, H, W]; the padded leading axes have none.
  const scaleOf = (a: number): number | undefined => attrs.scale?.[a - (3 - rank)];
  const maps = [0, 1, 2].map((a) =>
    attrs.mode === 'nearest'
      ? nearestAxis(outSp[a]!, inSp[a]!, scaleOf(a))
      : linearAxis(outSp[a]!, inSp[a]!, scaleOf(a), attrs.alignCorners),
  ) as [AxisMap, AxisMap, AxisMap];
  const [ID, IH, IW] = inSp;
  const [OD, OH, OW] = outSp;
  const [md, mh, mw] = maps;
  const xd = x.data;
  const out = new Float32Array(n * c * OD * OH * OW);
  const linear = attrs.mode !== 'nearest';
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * ID * IH * IW;
    for (let od = 0; od < OD; od++) {
      const d0 = base + md.i0[od]! * IH * IW;
      const d1 = base + md.i1[od]! * IH * IW;
      for (let oh = 0; oh < OH; oh++) {
        const h0 = mh.i0[oh]! * IW;
        const h1 = mh.i1[oh]! * IW;
        for (let ow = 0; ow < OW; ow++, o++) {
          const w0 = mw.i0[ow]!;
          if (!linear) {
            out[o] = xd[d0 + h0 + w0]!;
            continue;
          }
          const w1 = mw.i1[ow]!;
          const lw0 = mw.l0[ow]!;
          const lw1 = mw.l1[ow]!;
          const plane0 = mh.l0[oh]! * (lw0 * xd[d0 + h0 + w0]! + lw1 * xd[d0 + h0 + w1]!) +
            mh.l1[oh]! * (lw0 * xd[d0 + h1 + w0]! + lw1 * xd[d0 + h1 + w1]!);
          const plane1 = mh.l0[oh]! * (lw0 * xd[d1 + h0 + w0]! + lw1 * xd[d1 + h0 + w1]!) +
            mh.l1[oh]! * (lw0 * xd[d1 + h1 + w0]! + lw1 * xd[d1 + h1 + w1]!);
          out[o] = md.l0[od]! * plane0 + md.l1[od]! * plane1;
        }
      }
    }
  }
  return { shape: [...outShape], data: out };
}
