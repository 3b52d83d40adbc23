/**
 * Reductions over axes, as torch.mean(x, dim, keepdim) and torch.amax(x, dim, keepdim): what
 * exporters write as ReduceMean / ReduceMax (MnasNet's `x.mean([2, 3])`). Without `axes`
 * every spatial axis is reduced (a global pool, optionally without the unit axes).
 */
import { dimConst, type Dim } from '../../ir/dim/dim.ts';
import { boolArg } from '../call.ts';
import { axisArg, badValue, boolArg as checkBool } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';

export interface ReduceAttrs {
  /** Reduced axes, ascending, each in 0..rank-1. */
  axes: number[];
  /** Whether the reduced axes stay, with size 1. */
  keepdim: boolean;
}

declare module '../../ir/op-attrs.ts' {
  interface OpAttrsByName {
    reduce_mean: ReduceAttrs;
    reduce_max: ReduceAttrs;
  }
}

const spatialAxes = (rank: number): number[] => [...Array(Math.max(0, rank - 2)).keys()].map((a) => a + 2);

/** The output shape: reduced axes become 1, or are dropped without keepdim. */
export function reducedShape(shape: readonly Dim[], attrs: ReduceAttrs): Dim[] {
  const out: Dim[] = [];
  shape.forEach((d, a) => {
    if (!attrs.axes.includes(a)) out.push(d);
    else if (attrs.keepdim) out.push(dimConst(1));
  });
  return out;
}

function reduce<K extends 'reduce_mean' | 'reduce_max'>(name: K, spelling: string, doc: string): Omit<OpDef<K>, 'interp'> {
  return {
    name,
    spellings: [{ name: spelling }],
    doc,
    inputs: { min: 1, max: 1 },
    args: [
      { name: 'axes', aliases: ['dim'], type: 'ints', optional: true, doc: 'Axes to reduce, negative counting from the end; every spatial axis when left out.' },
      { name: 'keepdim', aliases: ['keepdims'], type: 'bool', default: false, doc: 'Keep the reduced axes with size 1.' },
    ],
    attrs(args, inputs, ctx) {
      const rank = inputs[0]?.length ?? 0;
      const keepdim = checkBool(ctx, 'keepdim', args.keepdim);
      if (keepdim === undefined) return undefined;
      if (args.axes === undefined) {
        if (rank < 3) return badValue(ctx, 'axes', [], `must be given for a rank-${rank} input, which has no spatial axes`);
        return { axes: spatialAxes(rank), keepdim };
      }
      const given = Array.isArray(args.axes) ? args.axes : [args.axes];
      const axes: number[] = [];
      for (const v of given) {
        const a = axisArg(ctx, 'axes', v, rank);
        if (a === undefined) return undefined;
        if (axes.includes(a)) return badValue(ctx, 'axes', args.axes, `names axis ${a} twice`);
        axes.push(a);
      }
      if (axes.length === 0) return badValue(ctx, 'axes', args.axes, 'must name at least one axis');
      return { axes: axes.sort((x, y) => x - y), keepdim };
    },
    call(attrs, inputs) {
      const rank = inputs[0]!.length;
      const spatial = spatialAxes(rank);
      const isSpatial = attrs.axes.length === spatial.length && attrs.axes.every((a, i) => a === spatial[i]);
      const args = isSpatial ? [] : [{ name: 'axes', value: { type: 'ints' as const, v: attrs.axes } }];
      return { callee: spelling, args: [...args, boolArg('keepdim', attrs.keepdim, false)] };
    },
    shape: (attrs, inputs) => reducedShape(inputs[0]!, attrs),
  };
}

export const reduceMeanDef = reduce('reduce_mean', 'mean', 'Mean over axes (torch.mean); every spatial axis by default.');
export const reduceMaxDef = reduce('reduce_max', 'amax', 'Maximum over axes (torch.amax, NaN propagates); every spatial axis by default.');
