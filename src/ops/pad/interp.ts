/**
 * Reference padding: each output position along an axis reads one source position (or the
 * constant fill), so the three axes' source maps (ops/pad/source-index.ts) define the result.
 */
import type { Tensor } from '../../ir/tensor.ts';
import { splitNCS, toSpatial3 } from '../spatial.ts';
import type { PadAttrs } from './def.ts';
import { padSourceIndex } from './source-index.ts';

export function padInterp(inputs: Tensor[], _params: Record<string, Tensor>, attrs: PadAttrs, outShape: number[]): Tensor {
  const x = inputs[0]!;
  const { n, c, sp: inSp } = splitNCS(x.shape);
  const { sp: outSp } = splitNCS(outShape);
  const begin = toSpatial3(attrs.begin, 0);
  const [md, mh, mw] = [0, 1, 2].map((a) => padSourceIndex(outSp[a]!, inSp[a]!, begin[a]!, attrs.mode));
  const [ID, IH, IW] = inSp;
  const [OD, OH, OW] = outSp;
  const out = new Float32Array(n * c * OD * OH * OW);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * ID * IH * IW;
    for (let od = 0; od < OD; od++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++, o++) {
          const d = md![od]!;
          const h = mh![oh]!;
          const w = mw![ow]!;
          out[o] = d < 0 || h < 0 || w < 0 ? attrs.value : x.data[base + (d * IH + h) * IW + w]!;
        }
      }
    }
  }
  return { shape: [...outShape], data: out };
}
