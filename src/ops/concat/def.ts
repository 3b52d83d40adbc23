/** Concatenation along an axis (torch.cat): every other axis must agree. */
import { dimAdd, dimToString, type Dim } from '../../ir/dim/dim.ts';
import { axisArg, shapeText } from '../def-helpers.ts';
import { checkOperandAxes } from '../elementwise/def.ts';
import { intArg as intCallArg } from '../call.ts';
import type { OpDef } from '../types.ts';

export const concatDef: Omit<OpDef<'concat'>, 'interp'> = {
  name: 'concat',
  spellings: [{ name: 'concat' }],
  doc: 'Joins tensors along an axis (default 1, the channels); every other axis must agree.',
  inputs: { min: 1, max: Number.POSITIVE_INFINITY },
  args: [{ name: 'axis', aliases: ['dim'], type: 'int', default: 1, doc: 'Axis to join along; negative counts from the end.' }],
  attrs(args, inputs, ctx) {
    const axis = axisArg(ctx, 'axis', args.axis, inputs[0]?.length ?? 0);
    return axis === undefined ? undefined : { axis };
  },
  call: (a) => ({ callee: 'concat', args: [intCallArg('axis', a.axis, 1)] }),
  shape(a, inputs, ctx) {
    const first = inputs[0]!;
    const other = inputs.findIndex((x) => x.length !== first.length);
    if (other >= 0) {
      const got = inputs.map((x) => `rank ${x.length}`).join(', ');
      ctx.report('NET2015', { op: ctx.spelledAs, got }, { input: other });
      return undefined;
    }
    if (!checkOperandAxes(ctx, inputs, a.axis)) return undefined;
    if (a.axis === 0 && inputs.length > 1 && first.length >= 3) {
      ctx.report('NET2017', { op: ctx.spelledAs, got: inputs.map((x) => shapeText(x)).join(' and ') }, {
        at: 'axis', input: 0, help: 'channels are axis 1: write axis=1 (or leave axis out)', setArg: { name: 'axis', value: '1', guess: true },
      });
    }
    let total: Dim = first[a.axis]!;
    for (const x of inputs.slice(1)) total = dimAdd(total, x[a.axis]!);
    if (total.invalid) {
      ctx.report('NET2009', { arg: 'axis', value: a.axis, reason: `the joined size ${dimToString(total)} cannot be represented` }, { at: 'axis' });
      return undefined;
    }
    return first.map((d, i) => (i === a.axis ? total : d));
  },
  passThrough: (_a, inputs) => inputs.length === 1,
};
