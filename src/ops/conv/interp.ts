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
import { splitNCS, tapRanges, toSpatial3 } from '../../interp/spatial.ts';

export function convInterp(inputs: Tensor[], params: Record<string, Tensor>, attrs: ConvAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const w = params['weight']!;
  const bias = params['bias'];
  const { n: batch, c: cin, sp: [ID, IH, IW] } = splitNCS(x.shape);
  const { c: cout, sp: [OD, OH, OW] } = splitNCS(outShape);
  const [KD, KH, KW] = toSpatial3(attrs.kernel, 1);
  const [SD, SH, SW] = toSpatial3(attrs.stride, 1);
  const [PD, PH, PW] = toSpatial3(attrs.padBegin, 0);
  const [DD, DH, DW] = toSpatial3(attrs.dilation, 1);
  const groups = attrs.groups;
  const cinG = cin / groups;
  const coutG = cout / groups;

  const inPlane = ID * IH * IW;
  const outPlane = OD * OH * OW;
  const kVol = KD * KH * KW;
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
                  for (let ow = ow0; ow < ow1; ow++) acc[aRow + ow] += wv * xd[xRow + ow * SW]!;
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
