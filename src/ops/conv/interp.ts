/**
 * Reference convolution (1d/2d/3d), PyTorch layout: x [N, C_in, ...], weight
 * [C_out, C_in/groups, k...], bias [C_out].
 *
 * For each output channel a float64 accumulator plane is filled tap by tap: every kernel
 * tap adds weight * (shifted, strided input) over the output positions whose input lies
 * inside the unpadded input, so padding costs nothing and the inner loop has no branch.
 */
import type { Tensor } from '../../ir/tensor.ts';
import type { ConvAttrs } from '../attrs.ts';
import { convGeometry, tapRanges } from '../spatial.ts';

export function convInterp(inputs: Tensor[], params: Record<string, Tensor>, attrs: ConvAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const w = params['weight']!;
  const bias = params['bias'];
  const {
    batch, cin, cout, groups, cinG, coutG, inPlane, outPlane, kVol,
    inSp: [ID, IH, IW], outSp: [OD, OH, OW], k: [KD, KH, KW], s: [SD, SH, SW], p: [PD, PH, PW], d: [DD, DH, DW],
  } = convGeometry(x.shape, outShape, attrs, attrs.padBegin);
  const xd = x.data;
  const wd = w.data;
  const out = new Float32Array(batch * cout * outPlane);
  const acc = new Float64Array(outPlane);
  // Output positions each tap reaches inside the unpadded input, per axis.
  const rangeD = tapRanges(KD, OD, ID, SD, DD, PD);
  const rangeH = tapRanges(KH, OH, IH, SH, DH, PH);
  const rangeW = tapRanges(KW, OW, IW, SW, DW, PW);

  for (let n = 0; n < batch; n++) {
    for (let oc = 0; oc < cout; oc++) {
      const g = Math.floor(oc / coutG);
      acc.fill(bias ? bias.data[oc]! : 0);
      for (let icl = 0; icl < cinG; icl++) {
        const xBase = (n * cin + g * cinG + icl) * inPlane;
        const wBase = (oc * cinG + icl) * kVol;
        for (let kd = 0; kd < KD; kd++) {
          const offD = kd * DD - PD;
          const od0 = rangeD[2 * kd]!;
          const od1 = rangeD[2 * kd + 1]!;
          for (let kh = 0; kh < KH; kh++) {
            const offH = kh * DH - PH;
            const oh0 = rangeH[2 * kh]!;
            const oh1 = rangeH[2 * kh + 1]!;
            for (let kw = 0; kw < KW; kw++) {
              const offW = kw * DW - PW;
              const ow0 = rangeW[2 * kw]!;
              const ow1 = rangeW[2 * kw + 1]!;
              const wv = wd[wBase + (kd * KH + kh) * KW + kw]!;
              for (let od = od0; od < od1; od++) {
                const xD = xBase + (od * SD + offD) * IH * IW;
                const aD = od * OH * OW;
                for (let oh = oh0; oh < oh1; oh++) {
                  const xRow = xD + (oh * SH + offH) * IW + offW;
                  const aRow = aD + oh * OW;
                  for (let ow = ow0; ow < ow1; ow++) acc[aRow + ow] = acc[aRow + ow]! + wv * xd[xRow + ow * SW]!;
                }
              }
            }
          }
        }
      }
      out.set(acc, (n * cout + oc) * outPlane);
    }
  }
  return { shape: [...outShape], data: out };
}
