/** Flatten a range of axes into one (torch.flatten; default keeps the batch axis). */
import { dimMul, dimToString, isSafeDim, type Dim } from '../../ir/dim/dim.ts';
import { axisArg, badValue } from '../def-helpers.ts';
import { intArg as intCallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

export const flattenDef: Omit<OpDef<'flatten'>, 'interp'> = {
  name: 'flatten',
  spellings: [{ name: 'flatten' }],
  doc: 'Merges axes start..end (inclusive) into one; flatten() keeps the batch axis.',
  inputs: { min: 1, max: 1 },
  args: [
    { name: 'start', aliases: ['start_dim'], type: 'int', default: 1, doc: 'First axis merged.' },
    { name: 'end', aliases: ['end_dim'], type: 'int', default: -1, doc: 'Last axis merged (inclusive); negative counts from the end.' },
  ],
  attrs(args, inputs, ctx) {
    const rank = inputs[0]?.length ?? 0;
    const start = axisArg(ctx, 'start', args.start, rank);
    const end = axisArg(ctx, 'end', args.end, rank);
    if (start === undefined || end === undefined) return undefined;
    if (start > end) return badValue(ctx, 'start', args.start, `axis ${start} comes after end=${String(args.end)} (axis ${end})`);
    return { start, end };
  },
  call(a, inputs) {
    // end is normalised; -1 (the default) says "the last axis" at any rank.
    const end = a.end === inputs[0]!.length - 1 ? -1 : a.end;
    return { callee: 'flatten', args: [intCallArg('start', a.start, 1), intCallArg('end', end, -1)] };
  },
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    let merged: Dim = x[a.start]!;
    for (const d of x.slice(a.start + 1, a.end + 1)) merged = dimMul(merged, d);
    if (!isSafeDim(merged)) {
      ctx.report('NET2009', { arg: 'end', value: a.end, reason: `the flattened size ${dimToString(merged)} is too large` }, { at: 'end' });
      return undefined;
    }
    return [...x.slice(0, a.start), merged, ...x.slice(a.end + 1)];
  },
  view: { kind: 'whole' },
  passThrough: (_a, inputs, output) => sameShape(inputs[0]!, output),
};

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
