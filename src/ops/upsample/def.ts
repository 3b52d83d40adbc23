/**
 * Upsampling (torch.nn.functional.interpolate): `nearest` (PyTorch's legacy nearest),
 * `bilinear` (2 spatial axes), `trilinear` (3) or `linear` (1). The output size is `size`,
 * or floor(in * scale) per axis. A symbolic input with a scale keeps an exact form when the
 * scale is a simple fraction (2, 0.5, 1.5, ...).
 */
import { constValue, dimFloorDiv, dimMul, type Dim } from '../../ir/dim/dim.ts';
import {
  badValue, boolArg, checkSizes, perAxisFloats, perAxisInts, spatialRank,
} from '../def-helpers.ts';
import { boolArg as boolCallArg, type CallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

const MODE_RANK: Record<string, number | undefined> = { nearest: undefined, linear: 1, bilinear: 2, trilinear: 3 };

/** p/q equal to x as a double, with q <= 1000; undefined when there is none. */
export function simpleFraction(x: number): [number, number] | undefined {
  for (let q = 1; q <= 1000; q++) {
    const p = Math.round(x * q);
    if (p / q === x) return [p, q];
  }
  return undefined;
}

/** floor(in * scale): computed in double on a constant, like PyTorch. */
export function scaledSize(input: Dim, scale: number): Dim | undefined {
  const n = constValue(input);
  if (n !== undefined) return dimMul(Math.floor(n * scale), 1);
  const f = simpleFraction(scale);
  return f && dimFloorDiv(dimMul(input, f[0]), f[1]);
}

export const upsampleDef: Omit<OpDef<'upsample'>, 'interp'> = {
  name: 'upsample',
  spellings: [{ name: 'upsample' }],
  doc: 'Resizes the spatial axes by a scale or to a size (torch.nn.functional.interpolate).',
  inputs: { min: 1, max: 1 },
  args: [
    { name: 'scale', aliases: ['scale_factor'], type: 'floats', optional: true, doc: 'Factor per spatial axis; the output is floor(in * scale).' },
    { name: 'size', aliases: ['output_size'], type: 'ints', optional: true, doc: 'Output size per spatial axis.' },
    { name: 'mode', type: 'string', default: 'nearest', oneOf: ['nearest', 'linear', 'bilinear', 'trilinear'], doc: 'Interpolation.' },
    { name: 'align_corners', type: 'bool', default: false, doc: 'Map corner pixels onto corner pixels (linear modes only).' },
  ],
  attrs(args, inputs, ctx) {
    const rank = spatialRank(inputs[0], ctx);
    if (rank === undefined) return undefined;
    if ((args.scale === undefined) === (args.size === undefined)) {
      const detail = args.scale === undefined ? 'got neither' : 'got both';
      ctx.report('NET2014', { detail }, { at: args.scale === undefined ? undefined : 'size', help: 'for example upsample(scale=2)' });
      return undefined;
    }
    const mode = args.mode;
    if (typeof mode !== 'string' || !(mode in MODE_RANK)) {
      return badValue(ctx, 'mode', mode, 'expected "nearest", "linear", "bilinear" or "trilinear"');
    }
    const modeRank = MODE_RANK[mode];
    if (modeRank !== undefined && modeRank !== rank) {
      const fit = Object.keys(MODE_RANK).find((m) => MODE_RANK[m] === rank);
      return badValue(ctx, 'mode', mode, `it needs ${modeRank} spatial axes, the input has ${rank}`, fit ? `use mode="${fit}"` : undefined);
    }
    const alignCorners = boolArg(ctx, 'align_corners', args.align_corners);
    if (alignCorners === undefined) return undefined;
    if (alignCorners && mode === 'nearest') return badValue(ctx, 'align_corners', true, 'only the interpolating modes take it');
    const base = { rank, mode: mode === 'nearest' ? 'nearest' as const : 'linear' as const, alignCorners };
    if (args.size !== undefined) {
      const size = perAxisInts(ctx, 'size', args.size, rank, { min: 1, reason: 'the output size must be at least 1' });
      return size && { ...base, size };
    }
    const scale = perAxisFloats(ctx, 'scale', args.scale, rank);
    if (!scale) return undefined;
    // The size is known here when the input is; otherwise it is filled when sizes are bound.
    const sizes = scale.map((s, i) => constValue(inputs[0]![i + 2]!) === undefined ? undefined : Math.floor(constValue(inputs[0]![i + 2]!)! * s));
    return { ...base, scale, size: sizes.every((s) => s !== undefined) ? sizes : [] };
  },
  label: (a) => [a.mode],
  call(a) {
    const args: CallArg[] = a.scale
      ? [{ name: 'scale', value: { type: 'floats', v: a.scale } }]
      : [{ name: 'size', value: { type: 'ints', v: a.size } }];
    const mode = a.mode === 'linear' ? ['linear', 'bilinear', 'trilinear'][a.rank - 1]! : 'nearest';
    args.push({ name: 'mode', value: { type: 'string', v: mode }, dflt: { type: 'string', v: 'nearest' } });
    args.push(boolCallArg('align_corners', a.alignCorners, false));
    return { callee: 'upsample', args };
  },
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    let spatial: Dim[];
    if (a.scale) {
      const out: Dim[] = [];
      for (let i = 0; i < a.rank; i++) {
        const d = scaledSize(x[i + 2]!, a.scale[i]!);
        if (!d) return badValue(ctx, 'scale', a.scale[i]!, 'a symbolic size needs a scale that is a simple fraction', 'bind the input size, or give size=');
        out.push(d);
      }
      spatial = out;
    } else {
      spatial = a.size.map((s) => dimMul(s, 1));
    }
    if (!checkSizes(ctx, spatial, () => 'use a larger scale')) return undefined;
    return [x[0]!, x[1]!, ...spatial];
  },
};
