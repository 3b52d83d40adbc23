/**
 * Reference transposed convolution (1d/2d/3d), PyTorch layout: x [N, C_in, ...], weight
 * [C_in, C_out/groups, k...], bias [C_out].
 *
 * Computed as the scatter it is defined by: input position i and kernel tap k add
 * x[i] * w[k] to output position i * stride - pad + k * dilation. Positions falling in the
 * cropped padding are skipped by per-tap input ranges; output_padding only grows the output
 * (its extra positions receive the taps that reach them, and the bias).
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { ConvTransposeAttrs } from '../attrs.ts';
import { convGeometry, tapRanges } from '../spatial.ts';

export function convTransposeInterp(
  inputs: Tensor[],
  params: Record<string, Tensor>,
  attrs: ConvTransposeAttrs,
  outShape: number[],
): Tensor {
  const x = inputs[0]!;
  const w = params['weight']!;
  const bias = params['bias'];
  const {
    batch, cin, cout, groups, cinG, coutG, inPlane, outPlane, kVol,
    inSp: [ID, IH, IW], outSp: [OD, OH, OW], k: [KD, KH, KW], s: [SD, SH, SW], p: [PD, PH, PW], d: [DD, DH, DW],
  } = convGeometry(x.shape, outShape, attrs, attrs.pad);
  const xd = x.data;
  const wd = w.data;
  const out = new Float32Array(batch * cout * outPlane);
  // One float64 accumulator for all output channels of one batch item: every input
  // channel of a group contributes to every output channel of it.
  const acc = new Float64Array(cout * outPlane);
  // Input positions each tap sends inside the cropped output, per axis.
  const rangeD = tapRanges(KD, ID, OD, SD, DD, PD);
  const rangeH = tapRanges(KH, IH, OH, SH, DH, PH);
  const rangeW = tapRanges(KW, IW, OW, SW, DW, PW);

  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < cout; oc++) acc.fill(bias ? bias.data[oc]! : 0, oc * outPlane, (oc + 1) * outPlane);
    for (let ic = 0; ic < cin; ic++) {
      const g = Math.floor(ic / cinG);
      const xBase = (n * cin + ic) * inPlane;
      for (let ocl = 0; ocl < coutG; ocl++) {
        const aBase = (g * coutG + ocl) * outPlane;
        const wBase = (ic * coutG + ocl) * kVol;
        for (let kd = 0; kd < KD; kd++) {
          const offD = kd * DD - PD;
          const id0 = rangeD[2 * kd]!;
          const id1 = rangeD[2 * kd + 1]!;
          for (let kh = 0; kh < KH; kh++) {
            const offH = kh * DH - PH;
            const ih0 = rangeH[2 * kh]!;
            const ih1 = rangeH[2 * kh + 1]!;
            for (let kw = 0; kw < KW; kw++) {
              const offW = kw * DW - PW;
              const iw0 = rangeW[2 * kw]!;
              const iw1 = rangeW[2 * kw + 1]!;
              const wv = wd[wBase + (kd * KH + kh) * KW + kw]!;
              for (let id = id0; id < id1; id++) {
                const aD = aBase + (id * SD + offD) * OH * OW;
                const xD = xBase + id * IH * IW;
                for (let ih = ih0; ih < ih1; ih++) {
                  const aRow = aD + (ih * SH + offH) * OW + offW;
                  const xRow = xD + ih * IW;
                  for (let iw = iw0; iw < iw1; iw++) acc[aRow + iw * SW] = acc[aRow + iw * SW]! + wv * xd[xRow + iw]!;
                }
              }
            }
          }
        }
      }
    }
    out.set(acc, n * cout * outPlane);
  }
  return { shape: [...outShape], data: out };
}
