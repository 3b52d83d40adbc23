/**
 * `pad` (torch.nn.functional.pad on the spatial axes; ONNX Pad): `begin` elements before and
 * `end` after each spatial axis. mode "constant" fills with `value`, and a negative amount
 * crops instead; "reflect" mirrors about the edge element (the edge is not repeated), so an
 * amount must be below the axis size; "replicate" repeats the edge element.
 */
import { dimAdd, constValue, type Dim } from '../../ir/dim/dim.ts';
import { floatArg as floatCallArg, type CallArg } from '../call.ts';
import { badValue, checkSizes, floatArg, perAxisInts, spatialRank } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';

export type PadMode = 'constant' | 'reflect' | 'replicate';

export interface PadAttrs {
  rank: 1 | 2 | 3;
  mode: PadMode;
  /** Elements added before each spatial axis ([D,] [H,] W order); negative crops (constant mode). */
  begin: number[];
  /** Elements added after each spatial axis. */
  end: number[];
  /** The fill of constant mode. */
  value: number;
}

declare module '../../ir/op-attrs.ts' {
  interface OpAttrsByName { pad: PadAttrs }
}

const MODES: readonly string[] = ['constant', 'reflect', 'replicate'];

export const padDef: Omit<OpDef<'pad'>, 'interp'> = {
  name: 'pad',
  spellings: [{ name: 'pad' }],
  doc: 'Pads the spatial axes with a constant, their reflection or their edge (torch.nn.functional.pad).',
  inputs: { min: 1, max: 1 },
  args: [
    { name: 'begin', type: 'ints', doc: 'Elements before each spatial axis (negative crops, constant mode only).' },
    { name: 'end', type: 'ints', optional: true, doc: 'Elements after each spatial axis; defaults to begin.' },
    { name: 'mode', type: 'string', default: 'constant', oneOf: [...MODES], doc: 'constant, reflect or replicate.' },
    { name: 'value', type: 'float', default: 0, doc: 'The fill of constant mode.' },
  ],
  attrs(args, inputs, ctx) {
    const rank = spatialRank(inputs[0], ctx);
    if (rank === undefined) return undefined;
    const mode = args.mode;
    if (typeof mode !== 'string' || !MODES.includes(mode)) return badValue(ctx, 'mode', mode, 'expected "constant", "reflect" or "replicate"');
    const cropOk = mode === 'constant';
    const check = cropOk ? {} : { min: 0, reason: `${mode} padding cannot crop` };
    const begin = perAxisInts(ctx, 'begin', args.begin, rank, check);
    const end = args.end === undefined ? begin : perAxisInts(ctx, 'end', args.end, rank, check);
    const value = floatArg(ctx, 'value', args.value);
    if (!begin || !end || value === undefined) return undefined;
    if (value !== 0 && mode !== 'constant') return badValue(ctx, 'value', value, `${mode} padding has no fill value`);
    return { rank, mode: mode as PadMode, begin, end: [...end], value };
  },
  call(a) {
    const args: CallArg[] = [{ value: { type: 'ints', v: a.begin } }];
    if (a.end.some((e, i) => e !== a.begin[i])) args.push({ name: 'end', value: { type: 'ints', v: a.end } });
    if (a.mode !== 'constant') args.push({ name: 'mode', value: { type: 'string', v: a.mode }, dflt: { type: 'string', v: 'constant' } });
    if (a.value !== 0) args.push(floatCallArg('value', a.value, 0));
    return { callee: 'pad', args };
  },
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    const spatial = a.begin.map((b, i) => dimAdd(x[i + 2]!, b + a.end[i]!));
    if (!checkSizes(ctx, spatial, () => 'crop less than the axis size')) return undefined;
    if (a.mode === 'reflect') {
      for (let i = 0; i < a.rank; i++) {
        const n = constValue(x[i + 2]!);
        const most = Math.max(a.begin[i]!, a.end[i]!);
        if (n !== undefined && most >= n) {
          return badValue(ctx, most === a.begin[i] ? 'begin' : 'end', most, `reflect padding must be below the axis size (${n})`, 'use mode="replicate", or pad less');
        }
      }
    }
    return [x[0]!, x[1]!, ...spatial];
  },
  macs: () => 0,
};
